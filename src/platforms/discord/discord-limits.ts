/** Discord's message limits (API v10); EmbedBuilder checks the per-field ones but not the 6,000 total. */
export const LIMITS = {
  content: 2000,
  embedsPerMessage: 10,
  embedTotal: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  buttonLabel: 80,
  customId: 100,
  buttonsPerRow: 5,
  choices: 25,
  choiceLength: 100,
  actionRows: 5,
  /** A string select: options, and each option's label, value and description (docs components.mdx). */
  selectOptions: 25,
  selectOptionText: 100,
  selectPlaceholder: 150,
} as const;
