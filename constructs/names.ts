const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

/**
 * The one source of the names that IAM statements, boundaries, workflow scripts and the status
 * command match. A construct names a resource with these functions, and the IAM patterns below are
 * built from the same functions with `*` in the variable part: changing a name here changes the
 * patterns that must match it (the log group path of a container and the deploy role's and the
 * workload boundary's `log-group:` patterns, say). Pure functions, no provider import.
 */

/**
 * The project's name: the first part of every name, state key and tag of the project. Defined here
 * with the names built from it (the IAM patterns must match them exactly); config/ re-exports it.
 */
export const PROJECT = "city-guided";

/** An image repository of the project: `city-guided-<container>`. */
export function repositoryName(container: string): string {
  return `${PROJECT}-${container}`;
}

/** The repository of each container's image (config/ re-exports it, typed by container name). */
export const REPOSITORY_NAMES = { api: repositoryName("api"), web: repositoryName("web") } as const;

/** `city-guided-<env>`: every named resource of an environment is this or starts with `<this>-`. */
export function environmentPrefix(environment: string): string {
  return `${PROJECT}-${environment}`;
}

/*
 * Names derived from an owner's name (a service, a load balancer, the environment prefix). The
 * generic constructs take their owner's name as a prop and call these; the patterns call them with
 * `*`.
 */
export const derivedName = {
  /** A target group of a load balancer: `<load balancer>-<target>`. */
  targetGroup: (loadBalancer: string, target: string) => `${loadBalancer}-${target}`,
  /** A task role of a service: `<service>-execution`, `<service>-task`. */
  taskRole: (service: string, kind: string) => `${service}-${kind}`,
  /** A container's log group: `/ecs/<service>/<container>`. */
  logGroup: (service: string, container: string) => `/ecs/${service}/${container}`,
  /** Alarms and scaling policies of a service: `<service>-wake`, `<service>-cpu`... */
  scaling: (service: string, suffix: string) => `${service}-${suffix}`,
  /** Alerting's resources: `<prefix>-alerts`, `<prefix>-<target>-5xx`, `<prefix>-deployment-failed`. */
  alerting: (prefix: string, suffix: string) => `${prefix}-${suffix}`,
  /** A KMS alias names a key for a resource: `alias/<name>`. */
  keyAlias: (name: string) => `alias/${name}`,
  /** Security groups get a name prefix (create before destroy): `<owner>-<kind>-<random>`. */
  securityGroupPrefix: (owner: string, kind: string) => `${owner}-${kind}-`,
  /** The proxy entry's alarms: `<entry>-<suffix>` (`city-guided-staging-entry-in-service`). */
  entryAlarm: (entry: string, suffix: string) => `${entry}-${suffix}`,
};

/** Names of one environment's resources (environment stack) and of its pipeline policies (registry stack). */
export function environmentNames(environment: string) {
  const prefix = environmentPrefix(environment);
  // Cluster, service, task family and load balancer share the environment's prefix as their name.
  const cluster = prefix;
  const service = prefix;
  return {
    environment,
    prefix,
    cluster,
    service,
    taskFamily: prefix,
    loadBalancer: prefix,
    /** `target` may be `*` (a pattern). */
    targetGroup: (target: string) => derivedName.targetGroup(prefix, target),
    executionRole: derivedName.taskRole(prefix, "execution"),
    taskRole: derivedName.taskRole(prefix, "task"),
    /** Every role the environment stack creates: `role("*")` is their pattern. */
    role: (suffix: string) => derivedName.taskRole(prefix, suffix),
    logGroup: (container: string) => derivedName.logGroup(prefix, container),
    /** Scaling alarms and policies (`<service>-wake`...). */
    scaling: (suffix: string) => derivedName.scaling(prefix, suffix),
    /** Alerts: alarms, topic, event rule. */
    alerting: (suffix: string) => derivedName.alerting(prefix, suffix),
    alertsTopic: derivedName.alerting(prefix, "alerts"),
    alertsKeyAlias: derivedName.keyAlias(derivedName.alerting(prefix, "alerts")),
    deploymentFailedRule: derivedName.alerting(prefix, "deployment-failed"),
    /** Alarms that target tracking creates by itself, named after the scalable target. */
    targetTrackingAlarmPrefix: `TargetTracking-service/${cluster}/${service}`,
    /** The environment's CloudWatch dashboard (service-dashboard.ts). */
    dashboard: prefix,
    /**
     * The proxy entry (entry-proxy.ts): its launch template, Auto Scaling group, instance role and
     * instance profile share this name; its alarm is `<entry>-in-service`, its security group `<entry>-<random>`.
     */
    entry: `${prefix}-entry`,
    /** The proxy entry's log group (boot log and Caddy's log): `/city-guided/<env>/entry`. */
    entryLogGroup: `/${PROJECT}/${environment}/entry`,
    deployRole: `${prefix}-deploy`,
    deployBoundary: `${prefix}-deploy-boundary`,
    deployPolicy: (part: number | "*") => `${prefix}-deploy-${part}`,
    workloadBoundary: `${prefix}-workload-boundary`,
    /** SSM parameters and Secrets Manager secrets of the environment live under `city-guided/<env>/`. */
    secretPath: `${PROJECT}/${environment}`,
  };
}

export type EnvironmentNames = ReturnType<typeof environmentNames>;

/** Terraform state key of a stack (`registry` or an environment): one object per stack in the bucket. */
export function stateKey(stack: string): string {
  return `${PROJECT}/${stack}.tfstate`;
}

/** The key every stack's state matches (the plan role reads them all, whatever their number). */
export const STATE_KEY_PATTERN = stateKey("*");

/** IAM path of the roles GitHub Actions assumes: keeps them out of every `role/city-guided-<env>-*` pattern. */
export const CI_ROLE_PATH = "/github-actions/";

/**
 * The environment that promotion deploys (promote-production.yml): the only one whose deploy role
 * may add the protected release tag to an image (ecr:PutImage); the others only read images.
 */
export const PROMOTION_ENVIRONMENT = "production";

/** Roles of the registry stack that are not per environment. */
export const PIPELINE_ROLE_NAMES = {
  push: `${PROJECT}-github-push`,
  plan: `${PROJECT}-github-plan`,
} as const;

/** Pattern of every IAM role and policy name of the project (`city-guided-*`). */
export const PROJECT_NAME_PATTERN = `${PROJECT}-*`;

/** Builds an ARN of the account: `arn(service, resource)`. */
export interface ArnBuilder {
  (service: string, resource: string): string;
}

export interface AccountLocation {
  readonly partition: string;
  readonly accountId: string;
}

/**
 * ARNs without a region: IAM's, and CloudWatch dashboards (global to the account). The Service
 * Authorization Reference (Amazon CloudWatch, resource types) gives the dashboard's ARN as
 * `arn:${Partition}:cloudwatch::${Account}:dashboard/${DashboardName}`.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html
 */
export function isRegionless(service: string, resource: string): boolean {
  return service === "iam" || (service === "cloudwatch" && resource.startsWith("dashboard/"));
}

/** IAM ARNs and dashboards have no region (isRegionless); every other one here is regional. */
export function arnBuilder(location: AccountLocation & { readonly region: string }): ArnBuilder {
  return (service, resource) =>
    `arn:${location.partition}:${service}:${isRegionless(service, resource) ? "" : location.region}:${location.accountId}:${resource}`;
}

/**
 * The CloudWatch console page of a dashboard. Dashboards are global, but the console shows a
 * metric widget's region only once told one: the environment's region. Computed from the name
 * (no AWS call), so `npm run status` and the stack's `dashboard_url` output print the same URL.
 * Dashboard names hold only URL-safe characters (A-Z a-z 0-9 - _), so the name goes in as is.
 */
export function dashboardUrl(region: string, dashboardName: string): string {
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${dashboardName}`;
}

/**
 * The ARN patterns of one environment's named resources, each built from the name function above
 * with `*` where names vary. `staging`'s patterns would also match `staging-eu`'s names: such
 * nested environment names are refused (DeliveryRoles, and config/).
 */
export function environmentPatterns(environment: string, arn: ArnBuilder) {
  const names = environmentNames(environment);
  return {
    cluster: arn("ecs", `cluster/${names.cluster}`),
    service: arn("ecs", `service/${names.cluster}/${names.service}`),
    taskDefinitions: arn("ecs", `task-definition/${names.taskFamily}:*`),
    roles: arn("iam", `role/${names.role("*")}`),
    policies: arn("iam", `policy/${names.role("*")}`),
    workloadBoundary: arn("iam", `policy/${names.workloadBoundary}`),
    logGroups: arn("logs", `log-group:${names.logGroup("*")}`),
    loadBalancer: arn("elasticloadbalancing", `loadbalancer/app/${names.loadBalancer}/*`),
    listeners: arn("elasticloadbalancing", `listener/app/${names.loadBalancer}/*`),
    listenerRules: arn("elasticloadbalancing", `listener-rule/app/${names.loadBalancer}/*`),
    targetGroups: arn("elasticloadbalancing", `targetgroup/${names.targetGroup("*")}/*`),
    alarms: unique([arn("cloudwatch", `alarm:${names.alerting("*")}`), arn("cloudwatch", `alarm:${names.scaling("*")}`)]),
    targetTrackingAlarms: arn("cloudwatch", `alarm:${names.targetTrackingAlarmPrefix}*`),
    keyAlias: arn("kms", names.alertsKeyAlias),
    alertsTopic: arn("sns", names.alertsTopic),
    /** Subscription ARNs are `<topic arn>:<id>`. */
    alertsSubscriptions: arn("sns", `${names.alertsTopic}:*`),
    deploymentFailedRule: arn("events", `rule/${names.deploymentFailedRule}`),
    /** No region in a dashboard's ARN (isRegionless). */
    dashboard: arn("cloudwatch", `dashboard/${names.dashboard}`),
    parameters: arn("ssm", `parameter/${names.secretPath}/*`),
    secrets: arn("secretsmanager", `secret:${names.secretPath}/*`),
    /** The proxy entry's log group. */
    entryLogGroup: arn("logs", `log-group:${names.entryLogGroup}`),
    /** Its instance profile (IAM, no region); the role is one of `roles`. */
    entryInstanceProfile: arn("iam", `instance-profile/${names.entry}`),
    /**
     * Its Auto Scaling group: `autoScalingGroup:<uuid>:autoScalingGroupName/<name>` (Service
     * Authorization Reference, Amazon EC2 Auto Scaling, resource types).
     */
    entryAutoScalingGroup: arn("autoscaling", `autoScalingGroup:*:autoScalingGroupName/${names.entry}`),
  };
}

export type EnvironmentPatterns = ReturnType<typeof environmentPatterns>;
