import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

interface EsbuildApi {
  build(options: Record<string, unknown>): Promise<unknown>;
}

/**
 * Bundles the client and SMSC entry points (workspace sources included, through the
 * `@tidings/source` condition) into plain JavaScript, so measured processes run on bare `node`:
 * a TypeScript loader would add ~35 MB to every peak RSS and its own CPU. esbuild is the one tsx
 * already ships.
 */
export async function bundleEntryPoints(entries: Readonly<Record<string, string>>): Promise<Record<string, string>> {
  const requireFromTsx = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'));
  const esbuild = requireFromTsx('esbuild') as EsbuildApi;
  // Under node_modules: ignored by git and by the linter.
  const outdir = fileURLToPath(new URL('../node_modules/.cache/tidings-bench/', import.meta.url));
  await mkdir(outdir, { recursive: true });
  await esbuild.build({
    entryPoints: entries,
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    conditions: ['@tidings/source'],
    sourcemap: true,
    logLevel: 'warning',
    // node-smpp and other CommonJS dependencies call require() for Node built-ins.
    banner: {
      js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);",
    },
  });
  return Object.fromEntries(Object.keys(entries).map((name) => [name, `${outdir}${name}.mjs`]));
}
