import { type LinearModel, logOdds } from '../domain/linear-model.ts';
import { type FeatureVector, textFeatures } from '../domain/text-features.ts';
import { contentHash } from './content-hash.ts';
import { type KeywordClassifier, type RuleClassifier, verdictFor } from './keyword-classifier.ts';
import type { PaperText } from './verdict.ts';

/** A trained correction of the rules, and a version label that changes with every retrain. */
export type FilterModel = { readonly model: LinearModel; readonly version: string };

export type TrainedFilter = KeywordClassifier & {
  /** The model in use (null: the rules alone). */
  current(): FilterModel | null;
  /** The rule score and the model's correction of one paper. */
  parts(paper: PaperText): { readonly rules: number; readonly model: number };
};

/**
 * The offline filter: the rules' score plus a small linear model over the paper's words that
 * learned where the rules go wrong (the model is trained with the rule score as its offset, so
 * with no labels it adds nothing and the rules decide alone). `refresh` asks `load` for the
 * model — which retrains it when the labels changed — before a classification run.
 */
export function createTrainedFilter(rules: RuleClassifier, load: (exclude?: ReadonlySet<string>) => Promise<FilterModel | null>): TrainedFilter {
  let model: FilterModel | null = null;
  const parts = (paper: PaperText) => {
    const ruleScore = rules.score(paper);
    return { rules: ruleScore, model: model ? logOdds(model.model, featuresOf(paper)) : 0 };
  };
  const score = (paper: PaperText) => {
    const { rules: ruleScore, model: correction } = parts(paper);
    return ruleScore + correction;
  };
  return {
    get hash() {
      return model ? contentHash(rules.hash, model.version) : rules.hash;
    },
    tagsFor: rules.tagsFor,
    score,
    parts,
    current: () => model,
    classify: (paper) => verdictFor(score(paper) >= 0, paper, rules.tagsFor),
    async refresh() {
      model = await load();
    },
    excluding: (paperIds) => createTrainedFilter(rules, () => load(paperIds)),
  };
}

export function featuresOf(paper: Pick<PaperText, 'title' | 'abstract'>): FeatureVector {
  return textFeatures(paper.title, paper.abstract);
}
