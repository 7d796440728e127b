import { z } from 'zod';

export const alertingSection = z.object({
  /** Threshold rules file relative to the config file; the shipped defaults apply when absent. */
  rulesFile: z.string().optional(),
  /** Consecutive failed ICMP results before DOWN, and successes before UP again. */
  downAfter: z.number().int().min(1).max(100).default(3),
  upAfter: z.number().int().min(1).max(100).default(2),
}).strict();

export type AlertingConfig = z.infer<typeof alertingSection>;
