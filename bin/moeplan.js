#!/usr/bin/env node
// Launcher for the bundled CLI (dist/cli.js, built by `npm run build` / `npm install`).
import { main } from '../dist/cli.js';

await main();
