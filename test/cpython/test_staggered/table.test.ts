// docs/cpython-tests/test_staggered.md against this folder (test/cpython/_table.ts).

import { describePortTable } from '../_table.js';

describePortTable('test_staggered', import.meta.dirname);
