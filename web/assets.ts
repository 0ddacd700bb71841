import { existsSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

// The pages' files live in two places. HTML and CSS are in web/static/ of the source tree
// in every mode (tsc does not copy them). The browser modules are TypeScript in
// web/client/: `npm run build` compiles them to dist/web/client/*.js next to this file's
// own compiled copy, while vitest runs this file from source, where they are transpiled
// on request — so a test never serves a stale build, and the service never needs a
// compiler when it runs from dist.

const HERE = new URL('./', import.meta.url);
const FROM_SOURCE = fileURLToPath(import.meta.url).endsWith('.ts');

/** The first of the candidate folders that exists (source tree, or dist/web/ two levels below it). */
function folder(...candidates: string[]): string {
  for (const candidate of candidates) {
    const dir = fileURLToPath(new URL(candidate, HERE));
    if (existsSync(dir)) return dir;
  }
  throw new Error(`web assets not found in ${candidates.join(' or ')} from ${fileURLToPath(HERE)}`);
}

/** The folder of the pages' HTML and CSS. */
export const STATIC_DIR = folder('./static/', '../../web/static/');

const CLIENT_DIR = fileURLToPath(new URL('./client/', HERE));

type Transpile = (source: string, fileName: string) => string;
let transpiler: Promise<Transpile> | undefined;

// Loaded only when running from source: TypeScript is a development dependency.
async function loadTranspiler(): Promise<Transpile> {
  const ts = (await import('typescript')).default;
  return (source, fileName) =>
    ts.transpileModule(source, {
      fileName,
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true, inlineSourceMap: true, inlineSources: true },
    }).outputText;
}

const transpiled = new Map<string, { mtimeMs: number; code: string }>();

/**
 * The JavaScript of a browser module (`name` without extension), or undefined when there
 * is none. Names are checked by the caller to be plain file names.
 */
export async function clientScript(name: string): Promise<string | undefined> {
  const file = `${CLIENT_DIR}${name}${FROM_SOURCE ? '.ts' : '.js'}`;
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  if (!FROM_SOURCE) return readFile(file, 'utf8');
  const cached = transpiled.get(file);
  if (cached && cached.mtimeMs === info.mtimeMs) return cached.code;
  transpiler ??= loadTranspiler();
  const code = (await transpiler)(await readFile(file, 'utf8'), file);
  transpiled.set(file, { mtimeMs: info.mtimeMs, code });
  return code;
}

/**
 * Prepare every browser module now rather than on first request. From source this loads
 * the compiler (seconds), which a test pays once before its browser asks for the pages.
 */
export async function warmClientScripts(): Promise<void> {
  const names = (await readdir(CLIENT_DIR)).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')).map((f) => f.replace(/\.(ts|js)$/, ''));
  await Promise.all(names.map((name) => clientScript(name)));
}
