import { createBrowserRouter } from 'react-router';
import { AppLayout } from './layout/app-layout';
import { NotFound } from './layout/not-found';
import { PublicRankings } from './screens/public/public-rankings';

// The public ranking is in the first bundle; every staff screen is its own chunk, loaded on demand.
export const router = createBrowserRouter([
  {
    path: '/',
    element: <AppLayout />,
    children: [
      { index: true, element: <PublicRankings /> },
      { path: 'public/:periodId', element: <PublicRankings /> },
      { path: 'public/units/:unitCode', lazy: async () => ({ Component: (await import('./screens/public/unit-history')).UnitHistory }) },
      { path: 'sign-in', lazy: async () => ({ Component: (await import('./screens/sign-in')).SignIn }) },
      { path: 'unit', lazy: async () => ({ Component: (await import('./screens/unit/my-assessments')).MyAssessments }) },
      { path: 'unit/:periodId', lazy: async () => ({ Component: (await import('./screens/unit/assessment-form')).AssessmentForm }) },
      { path: 'review', lazy: async () => ({ Component: (await import('./screens/review/review-queue')).ReviewQueue }) },
      { path: 'review/:periodId/:unitCode', lazy: async () => ({ Component: (await import('./screens/review/review-assessment')).ReviewAssessment }) },
      { path: 'approve', lazy: async () => ({ Component: (await import('./screens/review/review-queue')).ApprovalQueue }) },
      { path: 'approve/:periodId/:unitCode', lazy: async () => ({ Component: (await import('./screens/approve/approve-assessment')).ApproveAssessment }) },
      { path: 'admin', lazy: async () => ({ Component: (await import('./screens/admin/admin-home')).AdminHome }) },
      { path: 'audit', lazy: async () => ({ Component: (await import('./screens/audit/audit-home')).AuditHome }) },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
