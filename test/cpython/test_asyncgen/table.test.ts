// docs/cpython-tests/test_asyncgen.md against this folder (test/cpython/_table.ts).

import { describePortTable } from '../_table.js';

describePortTable('test_asyncgen', import.meta.dirname);
