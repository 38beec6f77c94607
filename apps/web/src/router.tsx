import { createBrowserRouter } from 'react-router';
import { AppLayout, PageLoading } from './layout/app-layout';
import { NotFound } from './layout/not-found';

// Only the frame is in the first bundle. The public pages are light chunks built without antd's
// heavy components; every staff screen is its own chunk under the staff shell, loaded on demand.
const publicRankings = async () => ({ Component: (await import('./screens/public/public-rankings')).PublicRankings });

export const router = createBrowserRouter([
  {
    path: '/',
    element: <AppLayout />,
    hydrateFallbackElement: <PageLoading />,
    children: [
      { index: true, lazy: publicRankings },
      { path: 'public/:periodId', lazy: publicRankings },
      { path: 'public/units/:unitCode', lazy: async () => ({ Component: (await import('./screens/public/unit-history')).UnitHistory }) },
      {
        lazy: async () => ({ Component: (await import('./layout/staff-shell')).StaffShell }),
        children: [
          { path: 'sign-in', lazy: async () => ({ Component: (await import('./screens/sign-in')).SignIn }) },
          { path: 'unit', lazy: async () => ({ Component: (await import('./screens/unit/my-assessments')).MyAssessments }) },
          { path: 'unit/:periodId', lazy: async () => ({ Component: (await import('./screens/unit/assessment-form')).AssessmentForm }) },
          { path: 'review', lazy: async () => ({ Component: (await import('./screens/review/review-queue')).ReviewQueue }) },
          { path: 'review/:periodId/:unitCode', lazy: async () => ({ Component: (await import('./screens/review/review-assessment')).ReviewAssessment }) },
          { path: 'approve', lazy: async () => ({ Component: (await import('./screens/review/review-queue')).ApprovalQueue }) },
          { path: 'approve/:periodId/:unitCode', lazy: async () => ({ Component: (await import('./screens/approve/approve-assessment')).ApproveAssessment }) },
          { path: 'admin', lazy: async () => ({ Component: (await import('./screens/admin/admin-home')).AdminHome }) },
          { path: 'admin/frameworks/:frameworkId/versions/:version', lazy: async () => ({ Component: (await import('./screens/admin/admin-home')).AdminHome }) },
          { path: 'audit', lazy: async () => ({ Component: (await import('./screens/audit/audit-home')).AuditHome }) },
        ],
      },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
