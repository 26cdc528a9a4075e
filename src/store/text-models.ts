import { deserializeModel, type LinearModel, serializeModel } from '../domain/linear-model.ts';
import type { Queryable } from './db.ts';

/** A learned text model kept with the archive, with what it was trained on (to know when it is stale). */
export type StoredTextModel = {
  readonly name: string;
  readonly model: LinearModel;
  readonly trainedOn: Readonly<Record<string, unknown>>;
  readonly trainedAt: string;
};

export async function saveTextModel(q: Queryable, name: string, model: LinearModel, trainedOn: Record<string, unknown>, now: Date): Promise<void> {
  await q.run(
    `INSERT INTO text_models (name, model, trained_on, trained_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET model = excluded.model, trained_on = excluded.trained_on, trained_at = excluded.trained_at`,
    [name, serializeModel(model), JSON.stringify(trainedOn), now.toISOString()],
  );
}

export async function loadTextModel(q: Queryable, name: string): Promise<StoredTextModel | null> {
  const row = await q.get<{ model: string; trained_on: string; trained_at: string }>('SELECT model, trained_on, trained_at FROM text_models WHERE name = ?', [
    name,
  ]);
  if (!row) return null;
  return { name, model: deserializeModel(row.model), trainedOn: JSON.parse(row.trained_on) as Record<string, unknown>, trainedAt: row.trained_at };
}
