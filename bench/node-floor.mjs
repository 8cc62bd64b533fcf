// The floor for Node.js on the batch benchmark: a bare loop over the grid file that only
// splits lines, parses two numbers, computes (9.59·N + 2.3e8)·D and prints it at full
// precision, with no checks, no line numbers and no echo of the inputs. Run by
// bench/run.mjs beside awk and moeplan, to show how much of moeplan's time Node itself
// needs; never part of the product.
//
//   node bench/node-floor.mjs grid.csv > out.txt
import { closeSync, openSync, readSync, writeSync } from 'node:fs';

const fd = openSync(process.argv[2], 'r');
const buffer = Buffer.allocUnsafe(1 << 16);
let carry = '';
let out = '';
let header = true;
for (;;) {
  const bytes = readSync(fd, buffer, 0, buffer.length, null);
  if (bytes === 0) break;
  const text = carry + buffer.latin1Slice(0, bytes);
  let start = 0;
  for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
    if (header) header = false;
    else {
      const comma = text.indexOf(',', start);
      const params = Number(text.slice(start, comma));
      const tokens = Number(text.slice(comma + 1, newline));
      out += `${(9.59 * params + 2.3e8) * tokens}\n`;
      if (out.length > 1 << 16) {
        writeSync(1, out);
        out = '';
      }
    }
    start = newline + 1;
  }
  carry = text.slice(start);
}
writeSync(1, out);
closeSync(fd);
