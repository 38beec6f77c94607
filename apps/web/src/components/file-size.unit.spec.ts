/// <reference types="jest" />
import { i18next } from '../i18n/i18n';
import { formatFileSize } from './file-size';

afterEach(() => i18next.changeLanguage('vi'));

describe('formatFileSize', () => {
  it('writes a size in the convention of the current language', async () => {
    await i18next.changeLanguage('vi');
    expect([formatFileSize(512), formatFileSize(187_392), formatFileSize(4.2 * 1024 * 1024), formatFileSize(1536 * 1024 * 1024)]).toEqual(['512 B', '183 KB', '4,2 MB', '1,5 GB']);
    await i18next.changeLanguage('en');
    expect([formatFileSize(512), formatFileSize(4.2 * 1024 * 1024), formatFileSize(1536 * 1024 * 1024)]).toEqual(['512 B', '4.2 MB', '1.5 GB']);
  });
});
