// Block 1 of the deposits campaign (test/campaigns/deposits.ts).
import { depositsCampaign } from './deposits.js';

depositsCampaign(1);
