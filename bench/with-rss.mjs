// Run the CLI in this process and report its peak resident memory on stderr at exit
// (`maxrss <KiB>`), so the benchmark needs no external `time` tool.
import { resourceUsage } from 'node:process';

process.on('exit', () => {
  process.stderr.write(`maxrss ${resourceUsage().maxRSS}\n`);
});
process.argv[1] = new URL('../bin/moeplan.js', import.meta.url).pathname; // the CLI's own argv: [node, bin, ...args]
await import('../bin/moeplan.js');
