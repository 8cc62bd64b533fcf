/**
 * Output text built as bytes: the batch fast lanes write each row's line number, echoed
 * inputs and result cells into one growing byte array and hand the bytes to the writer,
 * so that a row costs no strings and no garbage of its own.
 * ASCII only (every byte one character): the fast lanes read and write nothing else.
 */
import type { WrittenDigits } from './format.js';
import { writeShortest } from './shortest-digits.js';

export class AsciiOut {
  private bytes = Buffer.allocUnsafe(1 << 16);
  length = 0;
  /** The last whole number written, and its digits. */
  private wholeValue = -2;
  private wholeWidth = 0;
  private readonly wholeDigits = new Uint8Array(16);

  /** Room for `more` bytes past the end. */
  private room(more: number): Buffer {
    if (this.length + more > this.bytes.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + more));
      this.bytes.copy(bigger, 0, 0, this.length);
      this.bytes = bigger;
    }
    return this.bytes;
  }

  /** One character (an ASCII code). */
  char(code: number): void {
    const bytes = this.room(1);
    bytes[this.length++] = code;
  }

  /** `text[start, end)`, ASCII. */
  range(text: string, start: number, end: number): void {
    const bytes = this.room(end - start);
    let at = this.length;
    for (let i = start; i < end; i++) bytes[at++] = text.charCodeAt(i);
    this.length = at;
  }

  /** A whole text, ASCII. */
  text(text: string): void {
    this.range(text, 0, text.length);
  }

  /**
   * A non-negative whole number below 2^53, in decimal. Line numbers come one after another:
   * the digits of the last one are kept and counted up in place, so the next one costs no
   * division.
   */
  whole(value: number): void {
    const digits = this.wholeDigits;
    let width = this.wholeWidth;
    if (value === this.wholeValue + 1) {
      let i = width - 1;
      while (i >= 0 && digits[i] === 57) digits[i--] = 48;
      if (i >= 0) (digits[i] as number)++;
      else {
        digits.copyWithin(1, 0, width); // 999 → 1000
        digits[0] = 49;
        width++;
      }
    } else {
      width = 1;
      for (let power = 10; power <= value; power *= 10) width++;
      let rest = value;
      for (let i = width - 1; i >= 0; i--) {
        digits[i] = 48 + (rest % 10);
        rest = Math.floor(rest / 10);
      }
    }
    this.wholeValue = value;
    this.wholeWidth = width;
    const bytes = this.room(width);
    let at = this.length;
    for (let i = 0; i < width; i++) bytes[at++] = digits[i] as number;
    this.length = at;
  }

  /**
   * `exactNumber` (format.ts) of `value`: its shortest digits, always in scientific
   * notation. Written straight into the bytes ({@link writeShortest}); a value it declines
   * is printed by `toExponential()`, which gives the same digits as `d.ddde+X` (the only
   * `+` is the exponent's, which exactNumber drops).
   */
  exact(value: number): void {
    if (value === 0 || !Number.isFinite(value)) {
      this.text(String(value));
      return;
    }
    const bytes = this.room(25);
    let at = this.length;
    let magnitude = value;
    if (value < 0) {
      bytes[at++] = 45;
      magnitude = -value;
    }
    const end = writeShortest(magnitude, bytes, at);
    if (end !== -1) {
      this.length = end;
      return;
    }
    const text = value.toExponential();
    at = this.length;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 43) bytes[at++] = c;
    }
    this.length = at;
  }

  /** The number whose shortest digits are in `text` where `d` says (`quantityDigitsAt`), in exactNumber's form. */
  written(text: string, d: WrittenDigits): void {
    // At most a sign, 15 digits, a point, `e`, a sign and 3 digits.
    const bytes = this.room(24);
    let at = this.length;
    if (d.negative) bytes[at++] = 45;
    bytes[at++] = text.charCodeAt(d.first);
    if (d.significant > 1) {
      bytes[at++] = 46;
      const point = d.point;
      for (let i = d.first + 1; i <= d.last; i++) if (i !== point) bytes[at++] = text.charCodeAt(i);
    }
    bytes[at++] = 101;
    let exponent = d.exponent;
    if (exponent < 0) {
      bytes[at++] = 45;
      exponent = -exponent;
    }
    if (exponent >= 100) bytes[at++] = 48 + Math.floor(exponent / 100);
    if (exponent >= 10) bytes[at++] = 48 + (Math.floor(exponent / 10) % 10);
    bytes[at++] = 48 + (exponent % 10);
    this.length = at;
  }

  /** The bytes so far, as a Buffer of their own (the writer hands it on), and start again. */
  take(): Buffer {
    const taken = Buffer.allocUnsafe(this.length);
    this.bytes.copy(taken, 0, 0, this.length);
    this.length = 0;
    return taken;
  }
}
