import type { buildDashboard } from '../../shared/stats/dashboard.js';
import type { DashboardResponse } from './schemas.js';

type Dashboard = Awaited<ReturnType<typeof buildDashboard>>;
type Insights = DashboardResponse['stats']['insights']['latest'];

/** The dashboard body; shared/stats builds it from stored rows. */
export function dashboardView(d: Dashboard): DashboardResponse {
  return {
    ok: true,
    ...d,
    stats: {
      ...d.stats,
      // The latest session's stored insights (what apply wrote; see practice/views.ts).
      insights: { ...d.stats.insights, latest: d.stats.insights.latest as Insights },
    },
  };
}
