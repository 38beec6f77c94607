import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider } from 'antd';
// The ES modules of the locales: antd/locale/* are CommonJS and drag antd's CommonJS pickers along.
import enUS from 'antd/es/locale/en_US';
import viVN from 'antd/es/locale/vi_VN';
import dayjs from 'dayjs';
import 'dayjs/locale/vi';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { SessionProvider } from './auth/session';
import { router } from './router';

const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, retry: 1, refetchOnWindowFocus: false } } });

export function App() {
  const { i18n } = useTranslation();
  const vietnamese = i18n.language !== 'en';
  dayjs.locale(vietnamese ? 'vi' : 'en');
  // Error, success and warning colours darkened from antd's defaults to reach 4.5:1 on white (danger buttons, status texts);
  // a primary button darkens under the pointer instead of lightening, so its white text keeps 4.5:1 while hovered.
  return (
    <ConfigProvider
      locale={vietnamese ? viVN : enUS}
      theme={{ token: { fontFamily: "'Be Vietnam Pro', system-ui, sans-serif", colorPrimary: '#0b57d0', colorPrimaryHover: '#0842a0', colorPrimaryActive: '#063483', colorLink: '#0b57d0', borderRadius: 6, colorTextDescription: '#595959', colorTextPlaceholder: '#595959', colorTextTertiary: '#595959', colorError: '#c41d1d', colorSuccess: '#2b7a0b', colorWarning: '#a45c00' } }}
    >
      <QueryClientProvider client={queryClient}>
        <SessionProvider>
          <RouterProvider router={router} />
        </SessionProvider>
      </QueryClientProvider>
    </ConfigProvider>
  );
}
