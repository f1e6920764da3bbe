// Block 3 of the deposits campaign (test/campaigns/deposits.ts).
import { depositsCampaign } from './deposits.js';

depositsCampaign(3);
