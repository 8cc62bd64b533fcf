#!/usr/bin/env node
// Launcher for the bundled CLI (dist/cli.cjs, built by `npm run build` / `npm install`).
// CommonJS (see bin/package.json): start-up then skips the ES module loader.
'use strict';
require('../dist/cli.cjs').main();
