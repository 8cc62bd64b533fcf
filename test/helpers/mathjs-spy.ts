/**
 * A mathjs whose instances record every expression they compile (the step before
 * evaluation), so tests can tell that a hostile quantity was refused before anything was
 * evaluated. Use inside `vi.mock('mathjs', …)`:
 *
 *   const compiled = vi.hoisted(() => [] as string[]);
 *   vi.mock('mathjs', async (importOriginal) =>
 *     (await import('../helpers/mathjs-spy.js')).recordingCompiles(await importOriginal(), compiled));
 */
type MathJs = typeof import('mathjs');

export function recordingCompiles(mathjs: MathJs, compiled: string[]): MathJs {
  return {
    ...mathjs,
    create: (...args: Parameters<MathJs['create']>) => {
      const instance = mathjs.create(...args);
      const parse = instance.parse;
      instance.parse = ((text: string) => {
        const node = parse(text);
        const compile = node.compile.bind(node);
        node.compile = () => {
          compiled.push(text);
          return compile();
        };
        return node;
      }) as typeof instance.parse;
      return instance;
    },
  };
}
