/** Vite bundles imported stylesheets; to the type checker they are modules without exports. */
declare module '*.css';
