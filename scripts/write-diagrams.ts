// `npm run diagrams`: writes docs/machines/<name>.svg for every registered machine, from
// the current working directory, and removes diagrams of machines no longer registered.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DIAGRAMS_DIR, diagramPath, expectedDiagrams } from '../web/diagram/machine-diagrams.js';

const diagrams = await expectedDiagrams();
await mkdir(path.resolve(DIAGRAMS_DIR), { recursive: true });
const wanted = new Set<string>();
for (const [name, svg] of diagrams) {
  const file = diagramPath(name);
  wanted.add(path.basename(file));
  await writeFile(path.resolve(file), svg);
  console.log(`wrote ${file}`);
}
for (const file of await readdir(path.resolve(DIAGRAMS_DIR))) {
  if (!file.endsWith('.svg') || wanted.has(file)) continue;
  await rm(path.resolve(DIAGRAMS_DIR, file));
  console.log(`removed ${DIAGRAMS_DIR}/${file}`);
}
