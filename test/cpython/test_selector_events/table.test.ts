// docs/cpython-tests/test_selector_events.md against this folder (test/cpython/_table.ts).

import { describePortTable } from '../_table.js';

describePortTable('test_selector_events', import.meta.dirname);
