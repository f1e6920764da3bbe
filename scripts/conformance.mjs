#!/usr/bin/env node
// npm run conformance -- <command> [options] — the conformance campaigns and corpus tools
// (test/conformance/tools/<command>.tool.ts, run by vitest with vitest.tools.config.ts).
// Each option has one spelling and becomes an environment variable for the tool;
// `--help` lists the commands and their options.
import { spawnSync } from 'node:child_process';

const OPTIONS = {
  '--runs': { env: 'AIOSIM_RUNS', arg: 'N', help: 'how many random scenarios' },
  '--seed': { env: 'AIOSIM_SEED', arg: 'S', help: 'the seed of the random scenarios' },
  '--path': { env: 'AIOSIM_PATH', arg: 'P', help: "fast-check's path to a counterexample (with --seed: replay it)" },
  '--generator': { env: 'AIOSIM_GENERATOR', arg: 'G', help: "fuzz's scenarios: 'general' (default), 'contextvars' (biased to context variables) or 'network' (network scenarios only)" },
};

const COMMANDS = {
  fuzz: {
    options: ['--runs', '--seed', '--path', '--generator'],
    help: 'random scenarios run on CPython 3.13 (pyodide) and on aiosim must give the same trace; a failure is shrunk and printed with the seed and path that replay it (default 1,000 runs, random seed)',
  },
  threads: {
    options: ['--runs', '--seed'],
    help: 'scenarios with simulated threads, hand-written and generated, run on native CPython 3.13 and on aiosim; with neither option (400 runs, seed 20261124) it rewrites test/scenario/corpus/threads.jsonl',
  },
  asyncgens: {
    options: ['--runs', '--seed'],
    help: 'scenarios biased to async generators run on CPython 3.13 (pyodide) and on aiosim; with neither option (100 runs, seed 20261207) it rewrites test/scenario/corpus/asyncgens.jsonl',
  },
  network: {
    options: ['--runs', '--seed'],
    help: "network scenarios (servers, clients, streams, datagrams) run on CPython 3.13 over the network's twin (pyodide) and on aiosim's simulated network; with neither option (300 runs, seed 20261208) it rewrites test/scenario/corpus/network.jsonl",
  },
  regen: {
    options: ['--runs'],
    help: 'rewrite test/scenario/corpus/edge-cases.jsonl and generated.jsonl (default 1,000 scenarios, fixed seed) with the traces CPython 3.13 (pyodide) gives',
  },
  contextvars: {
    options: ['--runs', '--seed'],
    help: 'scenarios biased to context variables run on CPython 3.13 (pyodide) and on aiosim; with neither option (120 runs, seed 20261207) it rewrites test/scenario/corpus/contextvars.jsonl',
  },
  examples: {
    options: [],
    help: 'run the asyncio originals of the examples that start threads (examples/python/*.py) on native CPython 3.13 and store what they print as examples/python/<name>.out, which npm test compares the examples with',
  },
  replay: {
    options: [],
    help: 'run every stored corpus scenario through interpreter.py again (pyodide, native CPython for threads.jsonl) and compare with the stored traces; writes nothing',
  },
};

// `text` in lines of at most 88 characters, each indented by `indent`.
function wrap(text, indent) {
  const lines = [];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= 88) lines[last] += ` ${word}`;
    else lines.push(`${indent}${word}`);
  }
  return lines;
}

function usage() {
  const lines = ['usage: npm run conformance -- <command> [options]', '', 'commands:'];
  for (const [name, { options, help }] of Object.entries(COMMANDS)) {
    lines.push(`  ${[name, ...options.map((o) => `[${o} ${OPTIONS[o].arg}]`)].join(' ')}`, ...wrap(help, '      '));
  }
  lines.push('', 'options:');
  for (const [name, { arg, help }] of Object.entries(OPTIONS)) lines.push(`  ${`${name} ${arg}`.padEnd(10)} ${help}`);
  lines.push('  --help     print this');
  return lines.join('\n');
}

function fail(message) {
  console.error(`${message}\n\n${usage()}`);
  process.exit(2);
}

const [command, ...args] = process.argv.slice(2);
if (command === '--help') {
  console.log(usage());
  process.exit(0);
}
if (!Object.hasOwn(COMMANDS, command ?? '')) fail(command === undefined ? 'no command given' : `unknown command: ${command}`);
const env = { ...process.env };
for (let i = 0; i < args.length; i += 2) {
  if (args[i] === '--help') {
    console.log(usage());
    process.exit(0);
  }
  if (!COMMANDS[command].options.includes(args[i])) fail(`${command} takes no option ${args[i]}`);
  if (args[i + 1] === undefined) fail(`${args[i]} needs a value`);
  env[OPTIONS[args[i]].env] = args[i + 1];
}
const result = spawnSync('npx', ['vitest', 'run', '--config', 'vitest.tools.config.ts', `test/conformance/tools/${command}.tool.ts`], {
  stdio: 'inherit',
  env,
});
process.exit(result.status ?? 1);
