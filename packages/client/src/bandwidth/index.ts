export {
  planVideoCaps,
  DEFAULT_UPLINK_BUDGET,
  type UplinkBudgetOptions,
  type VideoCaps,
} from './uplink-plan.js';
