import { committedProject, synthEnvironment, type SynthesizedStack } from "../helpers";

/**
 * What city-guided's images need (their Dockerfiles): a non-root user (uid 1001) listening on $PORT
 * (api 4000, web 3080 by default) on a read-only root, writing only the paths mounted for it.
 */
describe("the containers run city-guided's images as built", () => {
  const committed = committedProject();
  const portOf = (stack: SynthesizedStack, name: string) => ({
    variable: stack.container(name).environment.find((variable: any) => variable.name === "PORT")?.value,
    mapping: stack.container(name).portMappings.map((mapping: any) => mapping.containerPort),
    targetGroup: (Object.values(stack.resources("aws_lb_target_group")) as any[]).find((group) => group.name.endsWith(`-${name}`)).port,
  });

  test.each(["staging", "production"])("%s: web listens on 3080 and api on 4000, told by PORT, where the load balancer sends", (environment) => {
    expect(portOf(committed[environment], "web")).toEqual({ variable: "3080", mapping: [3080], targetGroup: 3080 });
    expect(portOf(committed[environment], "api")).toEqual({ variable: "4000", mapping: [4000], targetGroup: 4000 });
  });

  test("a port moved in the env file moves PORT, the port mapping and the target group together", () => {
    const moved = synthEnvironment("INFRA_WEB_PORT=8080\nINFRA_API_PORT=4001\n");
    expect(portOf(moved, "web")).toEqual({ variable: "8080", mapping: [8080], targetGroup: 8080 });
    expect(portOf(moved, "api")).toEqual({ variable: "4001", mapping: [4001], targetGroup: 4001 });
  });

  test.each(["api", "web"])("%s mounts /tmp and the paths the images write (.next/cache, the users' ~/.cache)", (name) => {
    const paths = committed.staging.container(name).mountPoints.map((mount: any) => [mount.containerPath, mount.readOnly]);
    expect(paths).toEqual([
      ["/tmp", false],
      ["/app/apps/web-frontend/.next/cache", false],
      ["/home/nextjs/.cache", false],
      ["/home/apiuser/.cache", false],
    ]);
    expect(committed.staging.container(name).readonlyRootFilesystem).toBe(true);
  });
});
