import type { ClassifyDeps } from './classify.ts';

/**
 * Brings the classifiers up to date with the group's labels before a run: the LLM's prompt gets
 * the recent corrections (a new prompt hash when they changed), the offline filter retrains when
 * the labels changed since its model was stored.
 */
export async function prepareClassifiers(deps: ClassifyDeps): Promise<ClassifyDeps> {
  if (!deps.llm) {
    await deps.keywords.refresh?.();
    return deps;
  }
  if (!deps.llm.withCorrections || !deps.corrections) return deps;
  const corrections = await deps.corrections();
  return corrections.length ? { ...deps, llm: deps.llm.withCorrections(corrections) } : deps;
}
