import { html, type SafeHtml } from '../../rendering/html.ts';

/**
 * The HTML frame of every email. Inline styles only (mail clients drop style sheets), no images,
 * no scripts; all text in it went through `html`, so paper text cannot become markup.
 */
export function emailDocument(title: string, content: SafeHtml, footer: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body style="margin:0;padding:16px;background:#f6f6f4;color:#1d1d1b;font:16px/1.5 -apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,sans-serif">
<div style="max-width:640px;margin:0 auto;background:#ffffff;padding:20px;border-radius:8px">
${content}
<hr style="border:0;border-top:1px solid #ddd;margin:24px 0 12px">
<div style="font-size:13px;color:#555">${footer}</div>
</div>
</body>
</html>
`.value;
}
