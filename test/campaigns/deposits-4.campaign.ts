// Block 4 of the deposits campaign (test/campaigns/deposits.ts).
import { depositsCampaign } from './deposits.js';

depositsCampaign(4);
