// docs/cpython-tests/test_transports.md against this folder (test/cpython/_table.ts).

import { describePortTable } from '../_table.js';

describePortTable('test_transports', import.meta.dirname);
