export { createAdminHandlers } from './admin-routes.js';
