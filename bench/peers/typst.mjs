// typst.mjs - the benchmark's Typst peer: one Node process, one Typst
// compiler (Typst 0.14 through @myriaddreamin/typst-ts-node-compiler, pinned
// in package-lock.json), compiling every source it is given to a PDF, as a
// batch tool would. Fonts: exactly the font files bulletin used, no others.
//
//   node typst.mjs --version
//   node typst.mjs FONT[:FONT...] OUTDIR A.typ [B.typ ...]
import fs from 'node:fs';
import path from 'node:path';
import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';

function compiler(fonts) {
  return NodeCompiler.create({ workspace: '/', fontArgs: [{ fontPaths: fonts }] });
}

function compile(c, src) {
  const r = c.compile({ mainFilePath: src });
  const doc = r.result;
  if (!doc) {
    const diags = r.takeDiagnostics ? r.takeDiagnostics() : null;
    throw new Error(`typst: ${src}: ${JSON.stringify(diags && diags.shortDiagnostics ? diags.shortDiagnostics : diags)}`);
  }
  return c.pdf(doc);
}

const args = process.argv.slice(2);
if (args[0] === '--version') {
  const c = compiler([]);
  const r = c.compile({ mainFileContent: '#metadata(str(sys.version)) <v>' });
  const v = r.result ? c.query(r.result, { selector: '<v>', field: 'value' }) : ['?'];
  console.log(`Typst ${v[0]} (@myriaddreamin/typst-ts-node-compiler)`);
  process.exit(0);
}
if (args.length < 3) {
  console.error('usage: node typst.mjs FONT[:FONT...] OUTDIR A.typ [B.typ ...]');
  process.exit(2);
}
const [fonts, outdir, ...srcs] = args;
const c = compiler(fonts.split(':'));
for (const src of srcs) {
  const out = path.join(outdir, path.basename(src).replace(/\.typ$/, '.pdf'));
  fs.writeFileSync(out + '.tmp', compile(c, src));
  fs.renameSync(out + '.tmp', out);
}
