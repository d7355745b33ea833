// The WOFF unwrapping the invoice PDFs embed their font through: the TrueType file it gives is the font the WOFF held.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import { woffToSfnt } from '../../src/billing/woff.ts';

const require = createRequire(import.meta.url);
const woff = fs.readFileSync(require.resolve('@fontsource/dejavu-sans/files/dejavu-sans-latin-400-normal.woff'));

test('a WOFF font unwrapped is the same font: its glyphs, names and metrics as fontkit reads them from the WOFF', () => {
  const sfnt = woffToSfnt(woff);
  assert.equal(sfnt.readUInt32BE(0), woff.readUInt32BE(4), 'the sfnt starts with the flavor the WOFF names');
  const a = fontkit.create(woff) as unknown as {
    numGlyphs: number;
    postscriptName: string;
    unitsPerEm: number;
    glyphForCodePoint(c: number): { id: number; advanceWidth: number };
  };
  const b = fontkit.create(sfnt) as unknown as typeof a;
  assert.equal(b.numGlyphs, a.numGlyphs);
  assert.equal(b.postscriptName, a.postscriptName);
  assert.equal(b.unitsPerEm, a.unitsPerEm);
  for (const ch of 'Facture € é ’ TTC') {
    const [ga, gb] = [a.glyphForCodePoint(ch.codePointAt(0)!), b.glyphForCodePoint(ch.codePointAt(0)!)];
    assert.deepEqual([gb.id, gb.advanceWidth], [ga.id, ga.advanceWidth], ch);
  }
});

test('anything but a WOFF 1.0 font is refused', () => {
  assert.throws(() => woffToSfnt(Buffer.from('not a font at all, not even close')), /not a WOFF/);
});
