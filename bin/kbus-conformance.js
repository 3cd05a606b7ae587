#!/usr/bin/env node
'use strict';
// The installed package runs compiled JavaScript only; `npm run build` (or `npm install`) makes dist/.
require('../dist/cli/main.js')
  .main(process.argv.slice(2))
  .then(
    (code) => (process.exitCode = code),
    (e) => {
      // A crash of the runner itself must not read as a verdict on the implementation.
      console.error(e);
      process.exitCode = 2;
    },
  );
