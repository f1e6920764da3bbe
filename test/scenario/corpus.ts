// The corpus: scenarios with the traces CPython produced, one JSON object per line.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CorpusEntry } from './language.js';

/** The folder holding the corpus files. */
export const CORPUS_DIR = join(import.meta.dirname, 'corpus');

/** Read every corpus file: its name and entries. */
export function readCorpus(): { file: string; entries: CorpusEntry[] }[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((file) => ({
      file,
      entries: readFileSync(join(CORPUS_DIR, file), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as CorpusEntry),
    }));
}

/** Write a corpus file. */
export function writeCorpus(file: string, entries: readonly CorpusEntry[]): void {
  writeFileSync(join(CORPUS_DIR, file), entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
}
