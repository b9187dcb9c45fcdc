export { createSignInHandlers, type SignInDeps } from './sign-in.js';
export { loadTemplate, escapeHtml, VIEWS_DIR } from './templates.js';
export { buildBrandCss } from './brand-css.js';
export { renderErrorPage } from './error-page.js';
