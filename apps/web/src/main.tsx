// The full font (Latin + Vietnamese subsets, chosen by unicode-range): every diacritic renders.
import '@fontsource/be-vietnam-pro/400.css';
import '@fontsource/be-vietnam-pro/600.css';
import './i18n/i18n';
import './app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { prepareScoreFormats } from './format';

prepareScoreFormats();

const root = document.getElementById('root');
if (root) createRoot(root).render(<StrictMode><App /></StrictMode>);
