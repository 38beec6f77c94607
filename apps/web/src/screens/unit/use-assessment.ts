import { useQuery } from '@tanstack/react-query';
import type { FrameworkDefinition } from '@tieuchi/framework/domain/scoring';
import { api, ApiError, unwrap } from '../../api/client';
import type { AssessmentDetail, PeriodView } from '../../api/views';

/** The period, its pinned framework definition and the assessment (null while not started). */
export function useAssessment(periodId: string, unitCode: string, after?: string) {
  const period = useQuery({
    queryKey: ['period', periodId],
    queryFn: () => unwrap<PeriodView>(api.GET('/periods/{periodId}', { params: { path: { periodId } } })),
  });
  const assessment = useQuery({
    queryKey: ['assessment', periodId, unitCode],
    enabled: !!unitCode,
    queryFn: () =>
      unwrap<AssessmentDetail>(api.GET('/periods/{periodId}/assessments/{unitCode}', { params: { path: { periodId, unitCode }, query: after ? { after } : {} } })).catch(
        (error: unknown) => {
          if (error instanceof ApiError && error.status === 404) return null;
          throw error;
        },
      ),
  });
  const pin = assessment.data?.framework ?? period.data?.framework;
  const framework = useQuery({
    queryKey: ['framework', pin?.id, pin?.version],
    enabled: !!pin,
    staleTime: Infinity,
    queryFn: async () =>
      (
        await unwrap<{ definition: FrameworkDefinition }>(
          api.GET('/frameworks/{frameworkId}/versions/{version}', { params: { path: { frameworkId: pin?.id ?? '', version: String(pin?.version ?? 1) } } }),
        )
      ).definition,
  });
  return { period, assessment, framework };
}
