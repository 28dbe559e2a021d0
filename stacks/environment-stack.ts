import { Construct } from "constructs";
import { Lazy, TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsEcrRepository } from "@cdktf/provider-aws/lib/data-aws-ecr-repository";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet";
import { DataAwsSubnets } from "@cdktf/provider-aws/lib/data-aws-subnets";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { CONTAINER_NAMES, REPOSITORY_NAMES, type ContainerName, type EnvironmentConfig } from "../config/model";
import { Alerting } from "../constructs/alerting";
import { EntryProxy } from "../constructs/entry-proxy";
import { workloadBoundaryArn } from "../constructs/workload-boundary";
import { FargateService, type ContainerSpec } from "../constructs/fargate-service";
import { LoadBalancer, type SubnetVpcCheck } from "../constructs/load-balancer";
import { dashboardUrl, environmentNames, type EnvironmentNames } from "../constructs/names";
import { ServiceDashboard } from "../constructs/service-dashboard";
import { ServiceAutoscaling } from "../constructs/service-autoscaling";
import { SiteDomain } from "../constructs/site-domain";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { addStackFoundation, stackTags } from "./common";
import { caddyPin, entryFiles } from "./entry-files";
import { IMAGE_TAG_PATTERN, IMAGE_TAG_RULE } from "../config/image-tag";
import { secretVariable, type StackLocation } from "./secrets";

/** The image-tag rule (config/image-tag.ts), checked by Terraform before any plan. */
export { IMAGE_TAG_PATTERN };

/** Paths the load balancer sends to the api container; everything else goes to web. */
export const API_PATH_PATTERNS = ["/api/*"];

/**
 * One environment: its Fargate service running the `api` and `web` images at `var.image_tag`,
 * behind an Application Load Balancer, with logs, roles, autoscaling (from zero when min is 0)
 * and alerts. The repositories are looked up by name (read-only), so planning an environment
 * never needs the registry stack's state.
 */
export interface EnvironmentStackOptions {
  /**
   * Give the task and execution roles the workload boundary that the registry stack creates with
   * the environment's deploy role (which may only create roles carrying it). @default false
   */
  readonly workloadBoundary?: boolean;
}

export class EnvironmentStack extends TerraformStack {
  public readonly service: FargateService;
  public readonly loadBalancer: LoadBalancer;
  /** The site's own name (certificate and alias record), when the load balancer itself serves it. */
  public readonly siteDomain?: SiteDomain;
  /** The proxy entry in front of the (internal) load balancer, when `config.entryProxy` is set. */
  public entry?: EntryProxy;
  public readonly imageTag: TerraformVariable;
  private registryRegionProvider?: AwsProvider;

  constructor(scope: Construct, config: EnvironmentConfig, options: EnvironmentStackOptions = {}) {
    super(scope, config.name);
    const names = environmentNames(config.name);
    addStackFoundation(this, { stackName: config.name, region: config.region, stateBucket: config.stateBucket, stateRegion: config.stateRegion });

    this.imageTag = new TerraformVariable(this, "image_tag", {
      type: "string",
      description: "Tag of the api and web images to run (CI passes the git SHA it pushed, as TF_VAR_image_tag)",
      nullable: false,
      validation: [
        {
          condition: `\${can(regex("${IMAGE_TAG_PATTERN}", var.image_tag))}`,
          errorMessage: `image_tag must be a valid image tag: ${IMAGE_TAG_RULE}.`,
        },
      ],
    });

    const account = new DataAwsCallerIdentity(this, "account");
    const partition = new DataAwsPartition(this, "partition");
    const network = this.network(config);
    const location = { partition: partition.partition, region: config.region, accountId: account.accountId };
    const containers = Object.fromEntries(
      CONTAINER_NAMES.map((container) => [container, this.containerSpec(container, config, location)]),
    ) as Record<ContainerName, ContainerSpec>;

    if (config.entryProxy !== undefined && config.domain === undefined) {
      throw new Error(`Environment ${config.name}: the proxy entry needs a domain (config/ refuses INFRA_ENTRY=proxy without INFRA_DOMAIN)`);
    }
    // The certificate is validated before the load balancer's HTTPS listener uses it; the alias follows the load balancer.
    // With the proxy entry, TLS ends at the entry: no certificate, and the name points at the entry's address.
    this.siteDomain =
      config.domain?.dns === "route53" && config.entryProxy === undefined
        ? new SiteDomain(this, "site-domain", { domainName: config.domain.name, hostedZoneId: config.domain.route53ZoneId })
        : undefined;
    this.loadBalancer = this.addLoadBalancer(config, names.loadBalancer, network, this.siteDomain?.certificateArn);
    this.siteDomain?.pointAt({ dnsName: this.loadBalancer.dnsName, zoneId: this.loadBalancer.zoneId });

    // Cluster, service, task family and role prefix share one name (names.ts).
    this.service = new FargateService(this, "service", {
      name: names.service,
      region: config.region,
      accountId: account.accountId,
      partition: partition.partition,
      cpu: config.cpu,
      memory: config.memory,
      cpuArchitecture: config.cpuArchitecture,
      containers,
      logRetentionDays: config.logRetentionDays,
      writablePaths: config.writablePaths,
      vpcId: network.vpcId,
      subnetIds: network.subnetIds,
      assignPublicIp: config.assignPublicIp,
      initialDesiredCount: config.state === "stopped" ? 0 : config.minCapacity,
      permissionsBoundaryArn: options.workloadBoundary ? workloadBoundaryArn(partition.partition, account.accountId, config.name) : undefined,
    });
    this.loadBalancer.attach(this.service);

    this.addScalingAndAlerts(config, names, { accountId: account.accountId, partition: partition.partition }, network, options);

    new TerraformOutput(this, "cluster_name", { value: this.service.clusterName, description: "ECS cluster" });
    new TerraformOutput(this, "service_name", { value: this.service.name, description: "ECS service" });
    for (const container of CONTAINER_NAMES) {
      new TerraformOutput(this, `${container}_log_group`, {
        value: this.service.logGroupNames[container],
        description: `CloudWatch log group of the ${container} container`,
      });
    }
  }

  /** The ALB: web by default, API_PATH_PATTERNS to api, health checks from config. */
  private addLoadBalancer(
    config: EnvironmentConfig,
    name: string,
    network: { vpcId: string; loadBalancerSubnetIds: string[] },
    siteCertificateArn: string | undefined,
  ): LoadBalancer {
    return new LoadBalancer(this, "load-balancer", {
      name,
      vpcId: network.vpcId,
      subnetIds: network.loadBalancerSubnetIds,
      targets: {
        web: { port: config.containers.web.port, healthCheckPath: config.containers.web.loadBalancerHealthPath },
        api: { port: config.containers.api.port, healthCheckPath: config.containers.api.loadBalancerHealthPath, pathPatterns: API_PATH_PATTERNS },
      },
      // config/ allows at most one of the two.
      certificateArn: config.loadBalancer.certificateArn ?? siteCertificateArn,
      deletionProtection: config.loadBalancer.deletionProtection,
      subnetVpcCheck: this.subnetVpcCheck(config),
      // Behind the proxy entry: internal, and reachable from the entry's security group only
      // (read when synthesized: the entry is built after the load balancer it forwards to).
      ...(config.entryProxy !== undefined
        ? { internal: true, ingressFromSecurityGroupId: Lazy.stringValue({ produce: () => this.entry!.securityGroupId }) }
        : {}),
    });
  }

  /** Autoscaling (from zero when min is 0), alerts, and the outputs an operator needs next. */
  private addScalingAndAlerts(
    config: EnvironmentConfig,
    names: EnvironmentNames,
    location: { accountId: string; partition: string },
    network: { vpcId: string; loadBalancerSubnetIds: string[] },
    options: EnvironmentStackOptions,
  ): void {
    const autoscaling = new ServiceAutoscaling(this, "autoscaling", {
      clusterName: this.service.clusterName,
      serviceName: this.service.name,
      minCapacity: config.minCapacity,
      maxCapacity: config.maxCapacity,
      cpuTarget: config.cpuTarget,
      scaleFromZero:
        config.minCapacity === 0 ? { loadBalancerArnSuffix: this.loadBalancer.arnSuffix, idleMinutes: config.idleMinutes } : undefined,
      ...(config.state === "stopped" ? { stopped: true } : {}),
    });
    const alerting = new Alerting(this, "alerting", {
      name: names.prefix,
      region: config.region,
      ...location,
      email: config.alertEmail,
      loadBalancerArnSuffix: this.loadBalancer.arnSuffix,
      targetGroupArnSuffixes: this.loadBalancer.targetGroupArnSuffixes,
      serviceArn: this.service.arn,
    });
    if (config.entryProxy !== undefined) this.entry = this.addEntry(config, names, { ...location, region: config.region }, network, alerting.topicArn, options);

    new TerraformOutput(this, "load_balancer_dns_name", {
      value: this.loadBalancer.dnsName,
      description: this.entry
        ? "DNS name of the internal load balancer (the public entry forwards to it; not reachable from the internet)"
        : "DNS name of the load balancer (point the site's DNS record at it)",
    });
    new TerraformOutput(this, "site_url", {
      value: this.entry?.url ?? this.siteDomain?.url ?? this.loadBalancer.url,
      description: this.entry || this.siteDomain ? "URL of the site at its own name" : "URL of the site through the load balancer",
    });
    if (this.entry) {
      new TerraformOutput(this, "entry_public_ip", { value: this.entry.publicIp, description: "Elastic IP of the public entry (the site's A record)" });
    }
    new TerraformOutput(this, "alerts_topic_arn", { value: alerting.topicArn, description: "SNS topic of the environment's alerts" });
    this.addDashboard(config, names, autoscaling.scaleFromZeroAlarmArns);
  }

  /** The proxy entry (docs/public-entry.md, way A) in the load balancer's public subnets. */
  private addEntry(
    config: EnvironmentConfig,
    names: EnvironmentNames,
    location: { accountId: string; partition: string; region: string },
    network: { vpcId: string; loadBalancerSubnetIds: string[] },
    alarmTopicArn: string,
    options: EnvironmentStackOptions,
  ): EntryProxy {
    const entry = config.entryProxy!;
    const domain = config.domain!;
    return new EntryProxy(this, "entry", {
      name: names.entry,
      ...location,
      vpcId: network.vpcId,
      subnetIds: network.loadBalancerSubnetIds,
      instanceType: entry.instanceType,
      domainName: domain.name,
      route53ZoneId: domain.dns === "route53" ? domain.route53ZoneId : undefined,
      acmeEmail: entry.acmeEmail,
      mode: config.state === "stopped" ? "stopped" : "serving",
      apiRetrySeconds: entry.apiRetrySeconds,
      duckDnsTokenParameter: domain.dns === "duckdns" ? entry.duckDnsTokenParameter : undefined,
      upstream: { dnsName: this.loadBalancer.dnsName, securityGroupId: this.loadBalancer.securityGroupId },
      logGroupName: names.entryLogGroup,
      logRetentionDays: config.logRetentionDays,
      alarmTopicArn,
      permissionsBoundaryArn: options.workloadBoundary ? workloadBoundaryArn(location.partition, location.accountId, config.name) : undefined,
      tags: stackTags(config.name),
      scopeTagKey: "Environment",
      caddy: caddyPin(),
      files: entryFiles(entry.language),
    });
  }

  /** The environment's CloudWatch dashboard, and its console URL as an output (`npm run status` prints the same). */
  private addDashboard(config: EnvironmentConfig, names: EnvironmentNames, scaleFromZeroAlarmArns: readonly string[]): void {
    const dashboard = new ServiceDashboard(this, "dashboard", {
      name: names.dashboard,
      region: config.region,
      clusterName: this.service.clusterName,
      serviceName: this.service.name,
      loadBalancerArnSuffix: this.loadBalancer.arnSuffix,
      targetGroupArnSuffixes: this.loadBalancer.targetGroupArnSuffixes,
      scaleFromZeroAlarmArns,
      entryAutoScalingGroupName: this.entry?.autoScalingGroupName,
    });
    new TerraformOutput(this, "dashboard_url", {
      // The name as Terraform knows it, so the output follows the resource.
      value: dashboardUrl(config.region, dashboard.name),
      description: "CloudWatch dashboard of the environment (requests, wake signal, 5xx, tasks, CPU, memory, response time)",
    });
  }

  /** Configured load balancer subnets must be in the tasks' VPC; Terraform checks it before any change. */
  private subnetVpcCheck(config: EnvironmentConfig): SubnetVpcCheck | undefined {
    if (config.loadBalancer.subnetIds.length === 0) return undefined;
    const subnet = new DataAwsSubnet(this, "load-balancer-subnet", { id: config.loadBalancer.subnetIds[0] });
    return {
      subnetVpcId: subnet.vpcId,
      errorMessage: "INFRA_ALB_SUBNET_IDS must be subnets of the tasks' VPC (INFRA_SUBNET_IDS, or the default VPC when that is empty).",
    };
  }

  private containerSpec(container: ContainerName, config: EnvironmentConfig, location: StackLocation): ContainerSpec {
    const repository = new DataAwsEcrRepository(this, `${container}-repository`, {
      name: REPOSITORY_NAMES[container],
      provider: this.registryProvider(config),
    });
    const { port, environment, secrets, healthCheckCommand } = config.containers[container];
    return {
      image: `${repository.repositoryUrl}:${this.imageTag.stringValue}`,
      repositoryArn: repository.arn,
      port,
      environment,
      secrets: secrets.map((secret) => secretVariable(secret.variable, secret.reference, location)),
      healthCheckCommand,
    };
  }

  /**
   * The provider that reads the registry's repositories: the stack's own when the registry shares
   * its region; otherwise an aliased provider in the registry's region (provider 5.x has no
   * per-resource `region`, which 6.x adds).
   */
  private registryProvider(config: EnvironmentConfig): AwsProvider | undefined {
    if (config.registryRegion === config.region) return undefined;
    this.registryRegionProvider ??= new AwsProvider(this, "registry-region", {
      alias: "registry",
      region: config.registryRegion,
      defaultTags: [{ tags: stackTags(config.name) }],
    });
    return this.registryRegionProvider;
  }

  /**
   * The configured subnets, or the default VPC's default subnets (what the running system uses),
   * for the tasks and for the load balancer (public subnets; the tasks may sit in private ones).
   */
  private network(config: EnvironmentConfig): { vpcId: string; subnetIds: string[]; loadBalancerSubnetIds: string[] } {
    const loadBalancerSubnetIds = [...config.loadBalancer.subnetIds];
    if (config.subnetIds.length > 0) {
      const first = new DataAwsSubnet(this, "task-subnet", { id: config.subnetIds[0] });
      return { vpcId: first.vpcId, subnetIds: [...config.subnetIds], loadBalancerSubnetIds };
    }
    const vpc = new DataAwsVpc(this, "default-vpc", { default: true });
    const subnets = new DataAwsSubnets(this, "default-subnets", {
      filter: [
        { name: "vpc-id", values: [vpc.id] },
        { name: "default-for-az", values: ["true"] },
      ],
    });
    return { vpcId: vpc.id, subnetIds: subnets.ids, loadBalancerSubnetIds: loadBalancerSubnetIds.length > 0 ? loadBalancerSubnetIds : subnets.ids };
  }
}
