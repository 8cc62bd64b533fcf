/**
 * The batch fast lanes (BatchSpec.rowKernel) must print exactly what the general path prints:
 * the same runner with and without it, over random rows, must write the same bytes.
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BatchSpec, BatchRunner } from '../../src/cli/batch.js';
import { budgetBatchSpec } from '../../src/cli/commands/budget.js';
import { cminBatchSpec } from '../../src/cli/commands/cmin.js';
import { lossBatchSpec } from '../../src/cli/commands/loss.js';
import { lrBatchSpec } from '../../src/cli/commands/lr.js';
import { optimalBatchSpec } from '../../src/cli/commands/optimal.js';
import { type Law, PRESETS } from '../../src/core/laws/index.js';

// biome-ignore lint/suspicious/noExplicitAny: any command's spec
type Setup = { defaults: Record<string, string | undefined>; spec: BatchSpec<any> };
const hunyuan = PRESETS.hunyuan as Law;

async function runRows(setup: Setup, text: string, cuts: readonly number[] = []): Promise<{ out: string; rows: number; failed: number }> {
  let out = '';
  const sink = {
    write: (chunk: string | Uint8Array) => {
      out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('latin1');
      return true;
    },
  };
  const runner = new BatchRunner(setup.spec, setup.defaults, false, sink);
  // The input in pieces cut at the given byte offsets (inside a line, a number, a character).
  const bytes = Buffer.from(text);
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces = [0, ...at].map((from, i) => bytes.subarray(from, at[i] ?? bytes.length)).filter((p) => p.length > 0);
  await runner.read({ path: '-', cwd: process.cwd(), stdin: Readable.from(pieces.length > 0 ? pieces : [bytes]) });
  return { out, rows: runner.rows, failed: runner.failed };
}

/** A decimal number as people write it, from tiny to huge, sometimes zero or negative. */
const decimal = fc
  .tuple(fc.integer({ min: -2, max: 9_999_999 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: -330, max: 330 }), fc.constantFrom('e', 'E', 'e+'))
  .map(([mantissa, dot, exponent, e]) => {
    const digits = String(mantissa);
    const withDot = dot > 0 && dot < digits.length ? `${digits.slice(0, dot)}.${digits.slice(dot)}` : digits;
    return exponent === 0 ? withDot : `${withDot}${e}${exponent}`;
  });
/** A quantity with a suffix (or a percent sign), as the README writes them: `52B`, `7T`, `16M`, `2.5e3K`, `15%`. */
const suffixed = fc
  .tuple(
    fc.integer({ min: 0, max: 99_999 }),
    fc.integer({ min: 0, max: 4 }),
    fc.constantFrom('', 'e1', 'e-2', 'E3'),
    fc.constantFrom('K', 'k', 'M', 'B', 'G', 'T', 'p', 'Ki', 'Mi', 'Gi', 'ti', 'Bi', '%', 'X'),
  )
  .map(([mantissa, dot, exponent, suffix]) => {
    const digits = String(mantissa);
    const withDot = dot > 0 && dot < digits.length ? `${digits.slice(0, dot)}.${digits.slice(dot)}` : digits;
    return `${withDot}${exponent}${suffix}`;
  });
const field = fc.oneof(
  { weight: 8, arbitrary: decimal },
  { weight: 4, arbitrary: suffixed },
  { weight: 1, arbitrary: fc.constantFrom('52B', '7T', '', ' 1', '1e400', 'NaN', '.5', '5.', '-0', '+3', '1e', '6*8B', '0x10', '"1"', '1e308T', '40%', 'B') },
);
const row = fc.oneof(
  { weight: 10, arbitrary: fc.tuple(field, field).map(([a, b]) => `${a},${b}`) },
  { weight: 1, arbitrary: fc.constantFrom('1,2,3', '1', '', '1e9,7e12,', ',', '"1,5",7T') },
);

/** Rows of `columns` fields each, now and then one too few or too many. */
const rowsOf = (columns: number) =>
  fc.array(
    fc.oneof(
      { weight: 10, arbitrary: fc.array(field, { minLength: columns, maxLength: columns }).map((cells) => cells.join(',')) },
      { weight: 1, arbitrary: fc.array(field, { minLength: 1, maxLength: columns + 1 }).map((cells) => cells.join(',')) },
    ),
    { maxLength: 40 },
  );

/** The runner with and without the spec's fast lane print the same bytes for random rows under each header. */
async function sameAsGeneral(setup: Setup, headers: readonly string[], numRuns: number): Promise<void> {
  expect(setup.spec.rowKernel !== undefined || setup.spec.numericRows === true).toBe(true);
  const general: Setup = { defaults: setup.defaults, spec: { ...setup.spec, rowKernel: undefined, numericRows: false } };
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...headers).chain((header) => rowsOf(header.split(',').length).map((rows) => ({ header, rows }))),
      async ({ header, rows }) => {
        const text = `${header}\n${rows.join('\n')}\n`;
        const fast = await runRows(setup, text);
        const slow = await runRows(general, text);
        expect(fast.out).toBe(slow.out);
        expect([fast.rows, fast.failed]).toEqual([slow.rows, slow.failed]);
      },
    ),
    { seed: 19, numRuns },
  );
}

/** A quantity in the range the laws are used at (1e3 to 1e27, and loss-like 0.5 to 5): rows that compute, not only rows that fail. */
const moderate = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: -2, max: 26 })).map(([mantissa, exponent]) => `${mantissa}e${exponent}`),
  fc.tuple(fc.integer({ min: 1, max: 9_999 }), fc.constantFrom('K', 'M', 'B', 'T', 'P', 'Mi')).map(([mantissa, suffix]) => `${mantissa}${suffix}`),
  fc.tuple(fc.integer({ min: 5, max: 50 }), fc.integer({ min: 0, max: 99 })).map(([whole, tenths]) => `${whole / 10}${tenths}`),
);
const kernelField = fc.oneof({ weight: 6, arbitrary: moderate }, { weight: 3, arbitrary: field });

/** The setup with its row kernel wrapped: `onRow(took)` hears of every row the kernel is given, and whether it took it. */
function counting(setup: Setup, onRow: (took: boolean) => void): Setup {
  const rowKernel = setup.spec.rowKernel?.bind(setup.spec);
  return {
    defaults: setup.defaults,
    spec: {
      ...setup.spec,
      rowKernel:
        rowKernel &&
        ((...args: Parameters<typeof rowKernel>) => {
          const inner = rowKernel(...args);
          return (
            inner &&
            ((values: readonly number[], results: number[]) => {
              const took = inner(values, results);
              onRow(took);
              return took;
            })
          );
        }),
    },
  };
}

/** Like {@link sameAsGeneral}, with fields mostly in the laws' range; the fast lane must be set up for every header. */
async function kernelSameAsGeneral(plain: Setup, headers: readonly string[], numRuns: number, { seed = 19, computes = true } = {}): Promise<void> {
  const general: Setup = { defaults: plain.defaults, spec: { ...plain.spec, rowKernel: undefined, numericRows: false } };
  // Count the rows the kernel computes, to know the property exercised it and not only its declines.
  let computed = 0;
  const setup = counting(plain, (took) => {
    if (took) computed++;
  });
  await fc.assert(
    fc.asyncProperty(
      fc
        .constantFrom(...headers)
        .chain((header) =>
          fc
            .array(
              fc.oneof(
                { weight: 12, arbitrary: fc.array(kernelField, { minLength: header.split(',').length, maxLength: header.split(',').length }) },
                { weight: 1, arbitrary: fc.array(kernelField, { minLength: 1, maxLength: header.split(',').length + 1 }) },
              ),
              { maxLength: 30 },
            )
            .map((rows) => ({ header, rows: rows.map((cells) => cells.join(',')) })),
        ),
      async ({ header, rows }) => {
        const text = `${header}\n${rows.join('\n')}\n`;
        const fast = await runRows(setup, text);
        const slow = await runRows(general, text);
        expect(fast.out).toBe(slow.out);
        expect([fast.rows, fast.failed]).toEqual([slow.rows, slow.failed]);
      },
    ),
    { seed, numRuns },
  );
  if (computes) expect(computed).toBeGreaterThan(numRuns);
  else expect(computed).toBe(0);
}

/** The spec's row kernel for the header's keys (camelCase) and the result columns the runner would give it. */
function kernelFor(setup: Setup, header: string): unknown {
  const keys = header.split(',').map((c) => c.replace(/-([a-z])/g, (_m, l: string) => l.toUpperCase()));
  const given = new Set([...keys, ...Object.keys(setup.defaults).filter((k) => setup.defaults[k] !== undefined)]);
  const columns = setup.spec.columns.filter((c) => !(c.key && keys.includes(c.key)) && (!c.when || c.when.some((k: string) => given.has(k))));
  const names = columns.map((c) => c.name);
  return setup.spec.rowKernel?.(keys, given, names);
}

describe('batch row kernels', () => {
  const optimalHeaders = [
    'cmin',
    'flops',
    'flops,batch,bcrit',
    'batch,flops,loss',
    'flops,batch,loss,b-star,alpha-b',
    'cmin,batch,bcrit',
    'params',
    'tokens',
    'params,batch,bcrit',
    'tokens,batch,loss',
    'alpha-b,tokens,batch,loss',
  ];
  const closedForm = ['hunyuan', 'kaplan', 'chinchilla', 'chinchilla-epoch', 'deepseek'];

  it('optimal: the kernel is set up for every closed-form law and these headers, and not for others', () => {
    for (const name of closedForm) {
      const setup: Setup = { defaults: {}, spec: optimalBatchSpec(PRESETS[name] as Law) };
      for (const header of optimalHeaders) expect(kernelFor(setup, header), `${name} ${header}`).toBeTypeOf('function');
      for (const header of ['cmin,flops', 'cmin,bcrit', 'flops,batch', 'flops,batch,bcrit,loss', 'cmin,b-star', 'flops,peak-flops', 'cmin,granularity']) {
        expect(kernelFor(setup, header), `${name} ${header}`).toBeUndefined();
      }
      const withFlags = (defaults: Record<string, string>): Setup => ({ defaults, spec: optimalBatchSpec(PRESETS[name] as Law, () => {}, defaults) });
      expect(kernelFor(withFlags({ batch: '4M' }), 'flops,bcrit')).toBeTypeOf('function');
      const declined: Record<string, string>[] = [{ batch: '4M*2' }, { mfu: '40%' }, { batch: '' }, { gpu: 'h100' }];
      for (const defaults of declined) {
        expect(kernelFor(withFlags(defaults), 'flops,bcrit'), JSON.stringify(defaults)).toBeUndefined();
      }
    }
  });

  it.each([
    ['krajewski', ['cmin', 'flops', 'cmin,granularity', 'granularity,flops']],
    ['joint-moe', ['cmin', 'flops', 'cmin,experts', 'flops,max-total-params', 'experts,cmin']],
  ])(
    'optimal --law %s (an MoE law): the kernel gives every row the general path gives, error rows included',
    async (name, headers) => {
      const setup: Setup = { defaults: {}, spec: optimalBatchSpec(PRESETS[name] as Law) };
      for (const header of headers) expect(kernelFor(setup, header), header).toBeTypeOf('function');
      for (const header of [
        'cmin,flops',
        'cmin,batch,bcrit',
        'params',
        name === 'krajewski' ? 'cmin,experts' : 'cmin,granularity',
        'cmin,experts,max-total-params',
      ]) {
        expect(kernelFor(setup, header), header).toBeUndefined();
      }
      await kernelSameAsGeneral(setup, headers, 25);
      // Flags as defaults of every row.
      const flag = name === 'krajewski' ? { granularity: '16' } : { experts: '8' };
      const withFlag: Setup = { defaults: flag, spec: optimalBatchSpec(PRESETS[name] as Law, () => {}, flag) };
      expect(kernelFor(withFlag, 'cmin')).toBeTypeOf('function');
      await kernelSameAsGeneral(withFlag, ['cmin', 'flops'], 15);
    },
    60_000,
  );

  it.each(closedForm)(
    'optimal --law %s: every row the same as the general path, error rows included',
    async (name) => {
      await kernelSameAsGeneral({ defaults: {}, spec: optimalBatchSpec(PRESETS[name] as Law) }, optimalHeaders, 60);
    },
    60_000,
  );

  it('optimal: flags as defaults of every row, the same as the general path', async () => {
    const cases: [Record<string, string>, string[]][] = [
      [{ batch: '16M', loss: '1.9' }, ['flops', 'cmin', 'tokens']],
      [{ batch: '4M' }, ['flops,bcrit', 'params,loss']],
      [{ bcrit: '64M', bStar: '2.1e8' }, ['flops,batch']],
      [{ cmin: '3.1e24' }, ['batch,bcrit']],
    ];
    for (const name of ['hunyuan', 'kaplan', 'chinchilla']) {
      for (const [defaults, headers] of cases) {
        const setup: Setup = { defaults, spec: optimalBatchSpec(PRESETS[name] as Law, () => {}, defaults) };
        const takes = !('bStar' in defaults); // B* applies only with a loss: every row an error row
        for (const header of headers) expect(kernelFor(setup, header) !== undefined, `${name} ${JSON.stringify(defaults)} ${header}`).toBe(takes);
        await kernelSameAsGeneral(setup, headers, 20, { computes: takes });
      }
    }
  }, 60_000);

  it('optimal: headers the kernel declines still give the general path output', async () => {
    const headers = ['cmin,flops', 'cmin,bcrit', 'flops,batch', 'cmin,b-star', 'flops,granularity'];
    await sameAsGeneral({ defaults: {}, spec: optimalBatchSpec(hunyuan) }, headers, 30);
  });

  it('optimal: the kernel counts each extrapolated row once, as the general path does', async () => {
    for (const name of closedForm) {
      let fast = 0;
      let slow = 0;
      const text = 'cmin\n1e18\n3e24\n1e40\n1e400\n5B\n0\n1e300\n';
      await runRows({ defaults: {}, spec: optimalBatchSpec(PRESETS[name] as Law, () => fast++) }, text);
      await runRows({ defaults: {}, spec: { ...optimalBatchSpec(PRESETS[name] as Law, () => slow++), rowKernel: undefined, numericRows: false } }, text);
      expect(fast, name).toBe(slow);
    }
  });
});

describe('batch row kernels: cmin', () => {
  it.each(['hunyuan', 'chinchilla', 'kaplan'])(
    'cmin --law %s: rows of C, and of N and D, the same as the general path',
    async (name) => {
      const setup: Setup = { defaults: {}, spec: cminBatchSpec(PRESETS[name] as Law) };
      const headers = ['flops,batch,bcrit', 'params,tokens,batch,bcrit', 'bcrit,tokens,params,batch'];
      for (const header of headers) expect(kernelFor(setup, header), header).toBeTypeOf('function');
      for (const header of ['params,tokens,batch,loss', 'flops,params,batch,bcrit', 'params,batch,bcrit', 'params,tokens,batch']) {
        expect(kernelFor(setup, header), header).toBeUndefined();
      }
      await kernelSameAsGeneral(setup, headers, 60);
    },
    60_000,
  );

  it('a row of N and D: C by eq. 2, then Cmin, the steps and the fewest steps', async () => {
    const out = (await runRows({ defaults: {}, spec: cminBatchSpec(hunyuan) }, 'params,tokens,batch,bcrit\n52B,7T,32M,64M\n')).out.split('\n');
    expect(out[0]).toBe('line,params,tokens,batch,bcrit,flops,cmin,batch_over_critical,compute_over_min,steps,min_steps,error');
    const cells = out[1]?.split(',').map(Number) ?? [];
    const flops = 9.59 * 52e9 * 7e12 + 2.3e8 * 7e12; // Hunyuan-Large eq. 2
    expect(Math.abs((cells[5] as number) / flops - 1)).toBeLessThan(1e-15);
    expect(Math.abs((cells[6] as number) / (flops / 1.5) - 1)).toBeLessThan(1e-15); // Cmin = C / (1 + B/Bcrit), eq. 3
    expect([cells[7], cells[8], cells[9]]).toEqual([0.5, 1.5, 7e12 / 32e6]);
  });
});

describe('batch row kernels: lr', () => {
  const headers = [
    'batch,noise',
    'batch,noise,lr-max',
    'noise,batch,lr-max,experts',
    'batch,noise,lr-max,experts,top-k',
    'batch,loss,lr-max,experts,top-k,shared-experts',
    'batch,noise,experts,top-k,lr',
    'batch,loss',
    'lr-max,batch,noise,shared-experts,lr',
    'batch,noise,flops',
    'batch,loss,lr-max,flops,lr',
    'flops,batch,noise,lr-max,experts',
  ];
  /** The flags of `lr --input FILE …` as every row's defaults, given to the spec and the runner alike. */
  const withDefaults = (defaults: Record<string, string>): Setup => ({ defaults, spec: lrBatchSpec(undefined, {}, defaults) });
  /** Small whole numbers for the expert counts, beside the usual fields. */
  const headersWithCounts = ['batch,noise,lr-max,experts,top-k', 'batch,loss,experts,top-k,shared-experts'];

  it('the kernel is set up for these headers and flags, and not for others', () => {
    for (const header of headers) expect(kernelFor(withDefaults({}), header), header).toBeTypeOf('function');
    expect(kernelFor(withDefaults({ lrMax: '3e-4' }), 'batch,noise')).toBeTypeOf('function');
    expect(kernelFor(withDefaults({ experts: '16', topK: '2', noise: '16M' }), 'batch')).toBeTypeOf('function');
    for (const header of [
      'batch,noise,loss',
      'batch,lr-max',
      'noise,lr-max',
      'batch,noise,top-k',
      'batch,noise,tokens',
      'batch,noise,params',
      'batch,noise,flops,params,tokens',
      'batch,noise,target-ratio,experts',
      'params,tokens,batch',
    ]) {
      expect(kernelFor(withDefaults({}), header), header).toBeUndefined();
    }
    const declined: Record<string, string>[] = [{ lrMax: '3e-4*2' }, { lrMax: '' }, { experts: '40%' }, { reading: 'paper-literal' }, { loss: '2' }];
    for (const defaults of declined) {
      expect(kernelFor(withDefaults(defaults), 'batch,noise'), JSON.stringify(defaults)).toBeUndefined();
    }
    expect(lrBatchSpec({ file: 'runs.csv' } as never).rowKernel?.(['batch'], new Set(['batch']), ['noise'])).toBeUndefined();
  });

  it('every row the same as the general path, error rows included', async () => {
    await kernelSameAsGeneral(withDefaults({}), headers, 120);
  }, 60_000);

  it('expert counts: whole numbers, too few, fractions, top-k above n', async () => {
    const counts = fc.oneof(fc.integer({ min: -1, max: 64 }).map(String), fc.constantFrom('1.5', '2e0', '1e1', '0', '-0', '1K', '16'));
    const setup = withDefaults({});
    const general: Setup = { defaults: {}, spec: { ...setup.spec, rowKernel: undefined, numericRows: false } };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...headersWithCounts),
        fc.array(fc.tuple(moderate, moderate, moderate, counts, counts), { maxLength: 30 }),
        async (header, rows) => {
          const text = `${header}\n${rows.map((r) => r.join(',')).join('\n')}\n`;
          expect((await runRows(setup, text)).out).toBe((await runRows(general, text)).out);
        },
      ),
      { seed: 19, numRuns: 80 },
    );
  }, 60_000);

  it('flags as defaults of every row: the same as the general path', async () => {
    const cases: [Record<string, string>, string[]][] = [
      [{ lrMax: '3e-4' }, ['batch,noise', 'batch,loss,experts']],
      [{ lrMax: '3e-4', experts: '16', topK: '2' }, ['batch,noise', 'noise,batch,lr-max']],
      [{ noise: '16M', sharedExperts: '0' }, ['batch,lr-max', 'batch,experts,top-k']],
      [{ experts: '2.5' }, ['batch,noise']],
      [{ lr: '1e-3', loss: '2.1' }, ['batch,lr-max']],
      [{ flops: '3.5e24', lrMax: '3e-4' }, ['batch,noise', 'batch,loss,lr']],
    ];
    for (const [defaults, hs] of cases) {
      for (const header of hs) expect(kernelFor(withDefaults(defaults), header), `${JSON.stringify(defaults)} ${header}`).toBeTypeOf('function');
      // A fractional expert count: every row an error row, from the general path.
      await kernelSameAsGeneral(withDefaults(defaults), hs, 30, { computes: defaults.experts !== '2.5' });
    }
  }, 60_000);
});

describe('batch row kernels: loss', () => {
  const headers: Record<string, string[]> = {
    chinchilla: ['params,tokens', 'tokens,params', 'target-loss', 'params,target-loss', 'target-loss,tokens'],
    'chinchilla-epoch': ['params,tokens', 'target-loss'],
    krajewski: ['params,tokens,granularity', 'granularity,tokens,params', 'target-loss,params,granularity', 'target-loss'],
    'joint-moe': ['params,tokens,experts', 'experts,params,tokens', 'tokens,target-loss,experts', 'target-loss,experts'],
  };

  it.each(Object.keys(headers))(
    'loss --law %s: every row the same as the general path, error rows included',
    async (name) => {
      await kernelSameAsGeneral({ defaults: {}, spec: lossBatchSpec(PRESETS[name] as Law) }, headers[name] as string[], 60);
    },
    60_000,
  );

  it('has no kernel for what it does not cover: N, D and a target, a flag default, a variable missing or one the law does not take', () => {
    const chinchilla: Setup = { defaults: {}, spec: lossBatchSpec(PRESETS.chinchilla as Law) };
    const krajewski: Setup = { defaults: {}, spec: lossBatchSpec(PRESETS.krajewski as Law) };
    expect(kernelFor(chinchilla, 'params,tokens')).toBeTypeOf('function');
    for (const header of ['params,tokens,target-loss', 'params', 'params,tokens,granularity']) expect(kernelFor(chinchilla, header), header).toBeUndefined();
    expect(kernelFor(krajewski, 'params,tokens')).toBeUndefined();
    expect(kernelFor(krajewski, 'params,target-loss')).toBeUndefined(); // G is needed, but for the cheapest run
    expect(kernelFor(krajewski, 'target-loss')).toBeTypeOf('function');
    expect(kernelFor({ defaults: { granularity: '8' }, spec: krajewski.spec }, 'params,tokens')).toBeUndefined();
  });

  it('under an MoE law, gives the activated and total parameters: Krajewski et al. 2024, 1e9 on 1e10 tokens at G = 8 is 3.2415 nats', async () => {
    const out = (await runRows({ defaults: {}, spec: lossBatchSpec(PRESETS.krajewski as Law) }, 'params,tokens,granularity\n1e9,1e10,8\n')).out.split('\n');
    expect(out[0]).toBe('line,params,tokens,granularity,activated_params,total_params,loss,irreducible,model_limited,data_limited,flops,extrapolation,error');
    const cells = out[1]?.split(',') ?? [];
    expect(Number(cells[4])).toBe((12 * 1e9) / (8 * 64 + 4)); // N_act = 12·N/(8E + 4), E = 64
    expect(Number(cells[5])).toBe(1e9);
    expect(Number(cells[6])).toBeCloseTo(3.2415, 4);
  });

  it('writes the yes/no column as the general path does, on both lanes', async () => {
    const setup: Setup = { defaults: {}, spec: lossBatchSpec(PRESETS.chinchilla as Law) };
    const general: Setup = { defaults: {}, spec: { ...setup.spec, rowKernel: undefined, numericRows: false } };
    const text = 'params,tokens\n70B,1.4T\n1B,20B\n';
    const csv = await runRows(setup, text);
    expect(csv.out).toBe((await runRows(general, text)).out);
    const [, chinchilla, inside] = csv.out.split('\n');
    // Chinchilla's own run: L ≈ 1.937 nats (Hoffmann et al. 2022, eq. 10); 70B is above the
    // 16B the law was fitted up to, 1B on 20B tokens inside its range.
    expect(Number(chinchilla?.split(',')[3])).toBeCloseTo(1.69 + 406.4 / 70e9 ** 0.34 + 410.7 / 1.4e12 ** 0.28, 12);
    expect(chinchilla).toMatch(/,5\.88e23,true,$/);
    expect(inside).toMatch(/,1\.2e20,false,$/);
    await sameJsonAsGeneral(setup, ['params', 'tokens'], 60);
  });
});

/** A JSON Lines row: known keys (some spelled otherwise), numbers or quantity texts, now and then something the lane must leave to the general path. */
const jsonRow = (keys: readonly string[]) =>
  fc
    .tuple(
      fc.shuffledSubarray([...keys], { minLength: 1 }),
      fc.array(fc.oneof({ weight: 6, arbitrary: decimal }, { weight: 3, arbitrary: suffixed }, { weight: 1, arbitrary: field }), {
        minLength: keys.length + 1,
        maxLength: keys.length + 1,
      }),
      fc.array(fc.constantFrom('', '', '', ' ', '\t'), { minLength: 4, maxLength: 4 }),
      fc.constantFrom('number', 'number', 'text', 'mixed'),
      fc.constantFrom('', '', '', 'dup', 'unknown', 'escape', 'open', 'Camel', 'true', 'crlf'),
    )
    .map(([chosen, cells, [s1, s2, s3, s4], kind, twist]) => {
      const value = (cell: string, i: number) => (kind === 'text' || (kind === 'mixed' && i % 2 === 1) || !/^-?\d/.test(cell) ? JSON.stringify(cell) : cell);
      const names = chosen.map((key) => (twist === 'Camel' ? key.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()) : key));
      const pairs = names.map((key, i) => `${JSON.stringify(key)}${s1}:${s2}${value(cells[i] as string, i)}`);
      if (twist === 'dup') pairs.push(`${JSON.stringify(names[0])}:${cells[keys.length]}`);
      if (twist === 'unknown') pairs.push(`"parms":1`);
      if (twist === 'escape') pairs.push(`"${names[0]}\\u0041":1`);
      if (twist === 'true') pairs.push(`${JSON.stringify(names[0])}:true`);
      const text = `${s3}{${s4}${pairs.join(`,${s1}`)}${s2}}${twist === 'open' ? ',' : ''}`;
      return twist === 'crlf' ? `${text}\r` : text;
    });

/** The runner with and without its fast lanes print the same bytes for random JSON Lines rows, cut into random chunks. */
async function sameJsonAsGeneral(setup: Setup, keys: readonly string[], numRuns: number): Promise<void> {
  const general: Setup = { defaults: setup.defaults, spec: { ...setup.spec, rowKernel: undefined, numericRows: false } };
  await fc.assert(
    fc.asyncProperty(fc.array(jsonRow(keys), { minLength: 1, maxLength: 30 }), fc.array(fc.nat(), { maxLength: 4 }), async (rows, cuts) => {
      const text = `${rows.join('\n')}\n`;
      const fast = await runRows(setup, text, cuts);
      const slow = await runRows(general, text);
      expect(fast.out).toBe(slow.out);
      expect([fast.rows, fast.failed]).toEqual([slow.rows, slow.failed]);
    }),
    { seed: 23, numRuns },
  );
}

describe('batch fast lane', () => {
  it('JSON Lines: the same output as the general path (budget, cmin, optimal, an MoE law too)', async () => {
    await sameJsonAsGeneral({ defaults: {}, spec: budgetBatchSpec(hunyuan) }, ['params', 'tokens', 'flops'], 150);
    await sameJsonAsGeneral({ defaults: {}, spec: cminBatchSpec(hunyuan) }, ['flops', 'batch', 'bcrit'], 100);
    await sameJsonAsGeneral({ defaults: {}, spec: optimalBatchSpec(hunyuan) }, ['cmin', 'flops', 'batch', 'bcrit'], 60);
    await sameJsonAsGeneral({ defaults: {}, spec: optimalBatchSpec(PRESETS['joint-moe'] as Law) }, ['cmin', 'flops', 'experts'], 40);
  });

  it('takes the JSON Lines lane for rows of numbers and of quantity texts', async () => {
    const setup: Setup = { defaults: {}, spec: budgetBatchSpec(hunyuan) };
    let calls = 0;
    const countingSetup = counting(setup, () => {
      calls++;
    });
    const text =
      '{"params":52e9,"tokens":7e12}\n{"params":"52B","tokens":"7T"}\n{ "tokens" : 7e12 , "params" : 52000000000 }\n{"params":"6*8B","tokens":"7T"}\n';
    const r = await runRows(countingSetup, text);
    expect(calls).toBe(2); // the first row takes the general path (it writes the header), the expression too
    expect(r.out.split('\n').slice(1, 5)).toEqual([
      '1,5.2e10,7e12,3.49237e24,',
      '2,5.2e10,7e12,3.49237e24,',
      '3,5.2e10,7e12,3.49237e24,',
      '4,4.8e10,7e12,3.22385e24,',
    ]);
  });

  it('CSV cut into chunks anywhere, with CRLF and a byte-order mark: the same output as the general path', async () => {
    const setup: Setup = { defaults: {}, spec: budgetBatchSpec(hunyuan) };
    const general: Setup = { defaults: {}, spec: { ...setup.spec, rowKernel: undefined } };
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 5 }), fc.boolean(), fc.boolean(), async (rows, cuts, crlf, bom) => {
        const end = crlf ? '\r\n' : '\n';
        const text = `${bom ? '\uFEFF' : ''}params,tokens${end}${rows.join(end)}${end}`;
        const fast = await runRows(setup, text, cuts);
        const slow = await runRows(general, text);
        expect(fast.out).toBe(slow.out);
        expect([fast.rows, fast.failed]).toEqual([slow.rows, slow.failed]);
      }),
      { seed: 29, numRuns: 200 },
    );
  });

  it('budget, suffixed quantities: the same output as the general path', async () => {
    await sameAsGeneral({ defaults: {}, spec: budgetBatchSpec(hunyuan) }, ['params,tokens', 'tokens,params'], 100);
  });

  it('cmin: the same output as the general path', async () => {
    const headers = [
      'flops,batch,bcrit',
      'bcrit,flops,batch',
      'params,tokens,batch,bcrit',
      'flops,batch,loss',
      'flops,batch,loss,b-star,alpha-b',
      'peak-flops,mfu,gpu-hours,batch,bcrit',
    ];
    await sameAsGeneral({ defaults: {}, spec: cminBatchSpec(hunyuan) }, headers, 100);
    await sameAsGeneral({ defaults: { batch: '4M' }, spec: cminBatchSpec(PRESETS.kaplan as Law) }, ['flops', 'params,tokens'], 60);
  });

  it('optimal: the same output as the general path', async () => {
    const headers = ['cmin', 'flops,batch,bcrit', 'params', 'tokens,batch,loss', 'flops,peak-flops'];
    await sameAsGeneral({ defaults: {}, spec: optimalBatchSpec(hunyuan) }, headers, 100);
    await sameAsGeneral({ defaults: {}, spec: optimalBatchSpec(PRESETS.chinchilla as Law) }, ['cmin', 'params'], 60);
  });

  it('lr: the same output as the general path', async () => {
    const headers = ['batch,noise', 'batch,noise,lr-max', 'batch,noise,lr-max,experts,topk', 'flops,batch,loss', 'params,tokens,batch'];
    await sameAsGeneral({ defaults: {}, spec: lrBatchSpec(undefined) }, headers, 100);
  });

  it('optimal counts each extrapolated row once on either path', async () => {
    let fast = 0;
    let slow = 0;
    const text = 'cmin\n1e18\n3e24\n1e40\n1e400\n5B\n';
    await runRows({ defaults: {}, spec: optimalBatchSpec(hunyuan, () => fast++) }, text);
    await runRows({ defaults: {}, spec: { ...optimalBatchSpec(hunyuan, () => slow++), rowKernel: undefined, numericRows: false } }, text);
    expect(fast).toBe(slow);
    expect(fast).toBeGreaterThan(0);
  });

  it('budget: the same output, row for row, as the general path', async () => {
    const setup: Setup = { defaults: {}, spec: budgetBatchSpec(hunyuan) };
    expect(setup.spec.rowKernel).toBeTypeOf('function');
    const general: Setup = { defaults: setup.defaults, spec: { ...setup.spec, rowKernel: undefined } };
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 60 }), fc.constantFrom('params,tokens', 'tokens,params'), async (rows, header) => {
        const text = `${header}\n${rows.join('\n')}\n`;
        const fast = await runRows(setup, text);
        const slow = await runRows(general, text);
        expect(fast.out).toBe(slow.out);
        expect([fast.rows, fast.failed]).toEqual([slow.rows, slow.failed]);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('takes the fast lane for plain rows and prints every digit', async () => {
    const setup: Setup = { defaults: {}, spec: budgetBatchSpec(hunyuan) };
    let calls = 0;
    const countingSetup = counting(setup, () => {
      calls++;
    });
    const r = await runRows(countingSetup, 'params,tokens\n52e9,7e12\n52B,7T\n6*8B,7T\n');
    expect(calls).toBe(2); // 52B,7T is read on the fast lane too; an expression is not
    expect(r.out.split('\n')[1]).toBe('2,52e9,7e12,3.49237e24,');
    // Suffixed inputs are echoed resolved, in scientific notation, as the general path does.
    expect(r.out.split('\n')[2]).toBe('3,5.2e10,7e12,3.49237e24,');
    expect(r.out.split('\n')[3]).toBe('4,4.8e10,7e12,3.22385e24,');
  });

  it('is off when hardware columns are asked for', () => {
    const spec = budgetBatchSpec(hunyuan);
    expect(spec.rowKernel?.(['params', 'tokens'], new Set(['params', 'tokens', 'gpu', 'mfu']), ['flops', 'gpu_hours'])).toBeUndefined();
  });
});
