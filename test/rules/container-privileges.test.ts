import { fixtureFiles, ruleTester } from '../rule-tester.js';

const K8S = fixtureFiles('deploy-kubernetes');
const BUILD = fixtureFiles('deploy-compose-build');

ruleTester('container-privileges', {
  valid: [
    {
      name: 'scoped, frozen grants under a non-root USER (Dockerfile and Node with the permission model)',
      files: fixtureFiles('deploy-dockerfile-safe'),
    },
    {
      name: '-A in a pod without root, privileges or host mounts (CRLF manifest)',
      files: { 'k8s/crlf.yaml': K8S['k8s/crlf.yaml']! },
    },
    {
      name: 'an init container that runs as root (pod runAsUser: 0) with scoped, frozen flags',
      files: {
        'k8s/app.yaml':
          'apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  securityContext:\n    runAsUser: 0\n  initContainers:\n    - name: migrate\n      image: denoland/deno:2.8.1\n      command: ["deno", "run", "--frozen", "--allow-net=db:5432", "migrate.ts"]\n  containers:\n    - name: api\n      image: denoland/deno:2.8.1\n      command: ["deno", "run", "--frozen", "--allow-net=db:5432", "main.ts"]\n',
      },
    },
    {
      name: 'compose services built from a repository Dockerfile whose final stage has USER, or with a compose user',
      files: {
        'compose.yaml': BUILD['compose.yaml']!.replace(/^ {2}api:\n(?: {4}.*\n)+/m, ''),
        'api/Dockerfile': BUILD['api/Dockerfile']!,
        'web/web.Dockerfile': BUILD['web/web.Dockerfile']!,
      },
    },
    {
      name: 'a compose service with a non-root user and a scoped grant',
      files: { 'docker-compose.yml': 'services:\n  safe:\n    image: denoland/deno:2.8.1\n    user: deno\n    command: deno run --frozen --allow-net=:8000 safe.ts\n' },
    },
  ],
  invalid: [
    {
      name: 'points at the broad grant with the root evidence (USER root; a final stage without USER) as a related location',
      files: fixtureFiles('deploy-dockerfile'),
      errors: [
        {
          file: 'Dockerfile', line: 23, column: 14, level: 'warning', context: 'deployment',
          message: /`-A` grants every permission.*`USER root` runs the container as root/,
          related: [{ file: 'Dockerfile', line: 21 }],
        },
        {
          // Node without the permission model in a final stage without USER
          file: 'Dockerfile.worker', line: 3, column: 5, level: 'warning', context: 'deployment',
          message: 'Node without the permission model',
          related: [{ file: 'Dockerfile.worker', line: 1 }],
        },
      ],
    },
    {
      // never the init container (line 14: root, but scoped and frozen) nor -A in k8s/crlf.yaml (no root, privileges or host mounts)
      name: 'names root, host namespaces and host mounts (Kubernetes)',
      files: K8S,
      errors: [
        { file: 'k8s/app.yaml', line: 21, column: 15, level: 'warning', message: '`runAsUser: 0` runs the container as root', related: [{ file: 'k8s/app.yaml', line: 10 }] },
        { file: 'k8s/app.yaml', line: 47, column: 26, level: 'warning', message: 'hostPID: true', related: [{ file: 'k8s/app.yaml', line: 40 }] },
        { file: 'k8s/app.yaml', line: 67, column: 15, level: 'warning', message: 'Docker socket', related: [{ file: 'k8s/app.yaml', line: 59 }] },
      ],
    },
    {
      // never the `web` (-A, image default user) or `safe` (user: deno, scoped) services
      name: 'names privileged, a root user and the Docker socket mount (compose)',
      files: fixtureFiles('deploy-compose'),
      errors: [
        {
          file: 'docker-compose.yml', line: 8, column: 32, level: 'warning', message: /`user: 0:0` runs the container as root.*mounts the Docker socket/,
          related: [{ file: 'docker-compose.yml', line: 9 }, { file: 'docker-compose.yml', line: 11 }],
        },
        { file: 'docker-compose.yml', line: 16, column: 16, level: 'warning', message: '`privileged: true`', related: [{ file: 'docker-compose.yml', line: 17 }] },
      ],
    },
    {
      name: 'takes the CI level for a job container',
      files: fixtureFiles('deploy-actions'),
      errors: [{ file: '.github/workflows/ci.yml', line: 36, column: 32, level: 'note', context: 'ci', message: '`--privileged` gives the container every capability of the runner' }],
    },
    {
      // api only: web.Dockerfile has USER, worker sets user
      name: 'no `user:` in compose: the final stage of the repository Dockerfile decides (no USER = root)',
      files: BUILD,
      errors: [{ file: 'compose.yaml', line: 4, column: 31, level: 'warning', message: 'the final stage of api/Dockerfile sets no `USER`', related: [{ file: 'api/Dockerfile', line: 1 }] }],
    },
  ],
});
