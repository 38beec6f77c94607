import { App as AntApp } from 'antd';
import { Outlet } from 'react-router';

/**
 * The signed-in screens' frame, a chunk of its own: antd's App (messages, notifications and modal
 * hooks) is loaded only when a staff screen is, so the public ranking pages never fetch it.
 */
export function StaffShell() {
  return (
    <AntApp component={false}>
      <Outlet />
    </AntApp>
  );
}
