import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// docs/writing-a-channel.md quotes this example; a quote that no longer matches the code fails here.
const sourceDir = fileURLToPath(new URL('.', import.meta.url));
const guide = readFileSync(fileURLToPath(new URL('../../../docs/writing-a-channel.md', import.meta.url)), 'utf8');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Every line of the example, trimmed, doc-comment stars removed (the guide may quote a usage comment). */
const sourceLines = new Set(
  sourceFiles(sourceDir).flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => line.trim().replace(/^\*\s*/, '')),
  ),
);

/** The guide's TypeScript excerpts; a line with "…" marks an elision and is not compared. */
const excerpts = [...guide.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');

describe('docs/writing-a-channel.md', () => {
  it('quotes the example: every line of its TypeScript excerpts is in the example sources', () => {
    expect(excerpts.length).toBeGreaterThan(10);
    const missing = excerpts.flatMap((excerpt) =>
      excerpt
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '' && !line.includes('…') && !sourceLines.has(line)),
    );
    expect(missing).toEqual([]);
  });

  it('links only to example files that exist', () => {
    const links = [...guide.matchAll(/\]\(\.\.\/examples\/custom-channel\/([^)#]+)\)/g)].map((match) => match[1] ?? '');
    expect(links.length).toBeGreaterThan(5);
    const root = fileURLToPath(new URL('..', import.meta.url));
    for (const link of links) expect(existsSync(join(root, link)), link).toBe(true);
  });
});
