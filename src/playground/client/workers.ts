/**
 * Monaco (GraphiQL's editor) runs its language services in web workers. The build bundles each worker into
 * its own file under /playground/assets/, so they load from this origin (CSP `worker-src 'self'`), never a CDN.
 */
const WORKERS: Record<string, string> = {
  json: '/playground/assets/json.worker.js',
  graphql: '/playground/assets/graphql.worker.js',
};

window.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    return new Worker(WORKERS[label] ?? '/playground/assets/editor.worker.js', { name: label });
  },
};
