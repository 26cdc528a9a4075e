import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, SETTING_NAMES } from '../src/config.ts';

describe('loadConfig', () => {
  it('GIVEN an empty environment THEN every setting has its documented default', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe('sqlite://data/lmsys-papers.db');
    expect(config.ARXIV_CATEGORIES).toEqual(['cs.DC', 'cs.OS', 'cs.LG']);
    expect(config.DIGEST_TIMEZONE).toBe('Asia/Shanghai');
    expect(config.ARXIV_RSS_URL).toBe('https://rss.arxiv.org/rss');
    expect(config.ARXIV_API_URL).toBe('https://export.arxiv.org/api/query');
    expect(config.ARXIV_MIN_INTERVAL_MS).toBe(3000);
    expect(config.OPENAI_API_KEY).toBeUndefined();
  });

  it('GIVEN base URLs of local fakes THEN they are used as given', () => {
    const config = loadConfig({
      ARXIV_RSS_URL: 'http://127.0.0.1:4000/rss',
      SLACK_API_URL: 'http://127.0.0.1:4001/api/',
      OPENAI_BASE_URL: 'http://127.0.0.1:4002/v1',
    });
    expect(config.ARXIV_RSS_URL).toBe('http://127.0.0.1:4000/rss');
    expect(config.SLACK_API_URL).toBe('http://127.0.0.1:4001/api/');
    expect(config.OPENAI_BASE_URL).toBe('http://127.0.0.1:4002/v1');
  });

  it.each(['0 8 * * *', '30 7 * * 1-5', 'off'])('GIVEN DIGEST_CRON=%j THEN it is accepted', (cron) => {
    expect(loadConfig({ DIGEST_CRON: cron }).DIGEST_CRON).toBe(cron);
  });

  it('GIVEN an empty string THEN it counts as unset', () => {
    expect(loadConfig({ DIGEST_TIMEZONE: '', OPENAI_API_KEY: '' })).toMatchObject({ DIGEST_TIMEZONE: 'Asia/Shanghai', OPENAI_API_KEY: undefined });
  });

  it.each([
    ['DIGEST_TIMEZONE', 'Mars/Olympus', 'IANA time zone'],
    ['DATABASE_URL', 'postgres://db', 'sqlite://'],
    ['ARXIV_API_URL', 'not a url', 'URL'],
    ['ARXIV_CATEGORIES', 'cs.DC;cs.LG', 'arXiv categories'],
    ['ARXIV_MIN_INTERVAL_MS', '-5', '>='],
    ['ARXIV_PAGE_SIZE', '5000', '2000'],
    ['SLACK_MODE', 'carrier-pigeon', 'socket'],
    ['DIGEST_CRON', '0 25 * * *', 'cron expression'],
    ['DELIVERY_MAX_ATTEMPTS', '0', '>='],
    ['SLACK_HTTP_PORT', '70000', 'port number from 0 to 65535'],
    ['WEB_PORT', '65536', 'port number from 0 to 65535'],
    ['WEB_PORT', 'eighty', 'port number from 0 to 65535'],
    ['CATCHUP_MAX_DAYS', 'seven', 'expected a whole number'],
    ['LLM_BATCH_SIZE', '2.5', 'expected a whole number'],
    ['WEB_HOST', '999.1.1.1', 'IP address'],
    ['WEB_HOST', 'my host', 'IP address'],
    ['PROMPTS_DIR', '/nonexistent', 'no such folder'],
    ['TAGS_FILE', '/nonexistent/tags.json', 'no such file'],
    ['LLM_PREFILTER_CATEGORIES', '!!!', 'arXiv categories'],
  ])('GIVEN %s=%j THEN loading stops naming the variable and what is expected', (name, value, expected) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}=.*${expected}`, 's'));
  });

  it.each(['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost', 'papers.internal'])('GIVEN WEB_HOST=%j THEN it is accepted', (host) => {
    expect(loadConfig({ WEB_HOST: host }).WEB_HOST).toBe(host);
  });

  it('GIVEN PROMPTS_DIR of the shipped prompts and LLM_PREFILTER_CATEGORIES=none THEN they are accepted', () => {
    const prompts = new URL('../prompts/', import.meta.url).pathname;
    expect(loadConfig({ PROMPTS_DIR: prompts, LLM_PREFILTER_CATEGORIES: 'none' })).toMatchObject({ PROMPTS_DIR: prompts, LLM_PREFILTER_CATEGORIES: [] });
  });

  it('GIVEN several bad values THEN all of them are reported at once', () => {
    expect(() => loadConfig({ DIGEST_TIMEZONE: 'Nowhere', WEB_PORT: 'eighty' })).toThrow(/DIGEST_TIMEZONE[\s\S]*WEB_PORT|WEB_PORT[\s\S]*DIGEST_TIMEZONE/);
  });
});

describe('documentation of the settings', () => {
  const root = new URL('../', import.meta.url);
  const example = readFileSync(new URL('.env.example', root), 'utf8');
  const readme = readFileSync(new URL('README.md', root), 'utf8');

  it('GIVEN the schema THEN it has the settings every feature needs', () => {
    expect(SETTING_NAMES).toEqual(expect.arrayContaining(['DATABASE_URL', 'OPENAI_API_KEY', 'SLACK_BOT_TOKEN', 'DISCORD_TOKEN', 'SMTP_URL', 'DIGEST_CRON']));
  });

  it.each(SETTING_NAMES)('GIVEN %s THEN .env.example lists it and the README explains it', (name) => {
    expect(example).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
    expect(readme).toContain(`\`${name}\``);
  });
});
