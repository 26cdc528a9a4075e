import { type FtrlSettings, type LinearModel, modelOf, type TrainingExample, train } from '../domain/linear-model.ts';
import { textFeatures } from '../domain/text-features.ts';
import { contentHash } from '../llm/content-hash.ts';
import type { RuleClassifier } from '../llm/keyword-classifier.ts';
import type { FilterModel } from '../llm/trained-filter.ts';
import type { Database } from '../store/db.ts';
import { loadTextModel, saveTextModel } from '../store/text-models.ts';
import { filterTrainingSet, type LabelledText, trainingFingerprint } from '../store/training-labels.ts';

export const FILTER_MODEL_NAME = 'filter';

/**
 * How much one label of each kind teaches. An imported paper teaches nothing: the archive holds
 * only relevant papers with a title and a TL;DR, and a model trained on them next to abstracts
 * learns the style of a TL;DR rather than the topic — measured on the labelled days, precision
 * fell from 0.83 to 0.35-0.55 (`npm run bench eval`). It needs negatives of the same kind of text.
 */
export const LABEL_WEIGHTS: Readonly<Record<LabelledText['source'], number>> = { votes: 1, llm: 1, import: 0 };

/**
 * No intercept: the rule score already carries the calibration, and votes (mostly on the papers a
 * digest showed) would otherwise shift every score; strong L2 so a few votes move few papers.
 */
export const FILTER_FTRL: FtrlSettings = { alpha: 0.5, beta: 1, l1: 0.05, l2: 5, intercept: false };
/**
 * The latest LLM verdicts used: enough to learn from, bounded because a retrain costs 1–3 ms per
 * example (features, rule score, passes) in the process that also answers chat: 2,000 verdicts
 * retrain in a few seconds, once, when an offline run follows LLM runs, yielding to other work
 * while it reads the texts; votes alone (hundreds) retrain in a fraction of a second.
 */
export const LLM_VERDICTS_USED = 2_000;
/** Passes over the examples: several for a few hundred votes, fewer once there are thousands. */
const epochsFor = (examples: number) => (examples <= 500 ? 8 : 3);
/** Texts turned into features between two yields to the event loop. */
const CHUNK = 100;

export type TrainingSummary = { readonly votes: number; readonly llm: number; readonly import: number; readonly relevant: number };

/** Examples from labelled texts: the rule score is each one's offset, so the model learns only the rules' mistakes. */
export function filterExamples(rules: Pick<RuleClassifier, 'score'>, texts: readonly LabelledText[]): TrainingExample[] {
  return texts
    .filter((text) => LABEL_WEIGHTS[text.source] > 0)
    .map((text) => {
      const paper = { id: text.id, title: text.title, abstract: text.body, categories: [] };
      return { features: textFeatures(text.title, text.body), label: text.relevant, weight: LABEL_WEIGHTS[text.source], offset: rules.score(paper) };
    });
}

/**
 * Trains the filter's model on labelled texts. Nothing to learn from (or a single class with
 * nothing to tell it from) gives no model: the rules decide alone.
 */
export function trainFilterModel(rules: Pick<RuleClassifier, 'score'>, texts: readonly LabelledText[]): LinearModel | null {
  return trainOn(filterExamples(rules, texts));
}

function trainOn(examples: readonly TrainingExample[]): LinearModel | null {
  if (!examples.some((example) => !example.label) || !examples.some((example) => example.label)) return null;
  return modelOf(train(examples, { settings: FILTER_FTRL, epochs: epochsFor(examples.length) }));
}

/** trainFilterModel for a serving process: reading the texts yields to chat and web requests every CHUNK texts. */
async function trainFilterModelYielding(rules: Pick<RuleClassifier, 'score'>, texts: readonly LabelledText[]): Promise<LinearModel | null> {
  const examples: TrainingExample[] = [];
  for (let start = 0; start < texts.length; start += CHUNK) {
    examples.push(...filterExamples(rules, texts.slice(start, start + CHUNK)));
    await new Promise((resume) => setImmediate(resume));
  }
  return trainOn(examples);
}

export function summarize(texts: readonly LabelledText[]): TrainingSummary {
  const count = (source: LabelledText['source']) => texts.filter((text) => text.source === source).length;
  return { votes: count('votes'), llm: count('llm'), import: count('import'), relevant: texts.filter((text) => text.relevant).length };
}

/**
 * The filter's model, retrained when the labels or the rules changed since it was stored (votes,
 * LLM verdicts, an import), else read back from the archive. Papers in `exclude` are left out of
 * training (eval measures papers the model never saw); such a model is not stored.
 */
export async function ensureFilterModel(
  db: Database,
  rules: RuleClassifier,
  now: () => Date,
  options: { readonly exclude?: ReadonlySet<string> } = {},
): Promise<FilterModel | null> {
  const fingerprint = contentHash(rules.hash, await trainingFingerprint(db));
  const excluding = (options.exclude?.size ?? 0) > 0;
  if (!excluding) {
    const stored = await loadTextModel(db, FILTER_MODEL_NAME);
    if (stored?.trainedOn.fingerprint === fingerprint) return stored.model.examples > 0 ? { model: stored.model, version: fingerprint } : null;
  }
  const texts = (await filterTrainingSet(db, { llmLimit: LLM_VERDICTS_USED })).filter((text) => !options.exclude?.has(text.id));
  const model = await trainFilterModelYielding(rules, texts);
  if (excluding) return model ? { model, version: contentHash(fingerprint, 'excluding', [...(options.exclude ?? [])].sort().join(',')) } : null;
  await saveTextModel(db, FILTER_MODEL_NAME, model ?? { intercept: 0, weights: new Map(), examples: 0 }, { fingerprint, ...summarize(texts) }, now());
  return model ? { model, version: fingerprint } : null;
}
