import { Construct } from "constructs";
import { Fn, Token } from "cdktf";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { HOSTED_ZONE_ID_PATTERN, SITE_DOMAIN_PATTERN } from "./dns-names";
import { GRAVITON_INSTANCE_TYPE, SSM_PARAMETER_PATH } from "./entry-patterns";
import { ConstructPropsError } from "./errors";
import { policyDocument, type PolicyStatement } from "./iam-policy";
import { derivedName } from "./names";

/**
 * The Amazon Linux 2023 arm64 AMI, as AWS publishes it in SSM's public parameters: a new AMI shows
 * as a launch template change in the reviewed plan (and rolls the instance).
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-public-parameters-ami.html
 */
export const AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";

/**
 * EC2's limit on user data: "User data is limited to 16 KB, in raw form, before it is
 * base64-encoded" (Amazon EC2 User Guide, Work with instance user data). The raw form here is the
 * gzip stream (Terraform's base64gzip base64-encodes it for the API), so the gzip must fit.
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-add-user-data.html
 */
export const USER_DATA_LIMIT_BYTES = 16 * 1024;

/** The in-service alarm: no instance in service for this many minutes... */
export const ENTRY_ALARM_MINUTES = 5;
/** ...out of the last this many. */
export const ENTRY_ALARM_WINDOW_MINUTES = 10;

/** Where cloud-init writes the files on the instance (entry/boot.sh reads them there). */
export const ENTRY_PATHS = {
  caddyfile: "/etc/caddy/Caddyfile",
  pages: "/etc/caddy/pages",
  bootScript: "/usr/local/sbin/entry-boot",
  settings: "/etc/entry/boot.env",
} as const;

/** The files the instance runs, read from entry/ by the stack (plain text, no secret). */
export interface EntryFiles {
  /** entry/Caddyfile */
  readonly caddyfile: string;
  /** entry/boot.sh */
  readonly bootScript: string;
  /** entry/pages/<language>/waking.html and stopped.html */
  readonly wakingPage: string;
  readonly stoppedPage: string;
}

/** The Caddy release the boot script installs (entry/caddy-release.json). */
export interface CaddyPin {
  /** e.g. 2.11.4, no "v" */
  readonly version: string;
  /** SHA-512 of caddy_<version>_linux_arm64.tar.gz, 128 hex digits */
  readonly sha512: string;
}

export interface EntryProxyProps {
  /** Name of the launch template, Auto Scaling group, role and instance profile, e.g. `city-guided-staging-entry`. */
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly vpcId: string;
  /** Public subnets (the load balancer's): the group launches in any of them. */
  readonly subnetIds: string[];
  /** An arm64 (Graviton) instance type, e.g. t4g.nano. */
  readonly instanceType: string;
  /** The site's name (ENTRY_SITE_ADDRESS): Caddy's certificate and the only host it serves. */
  readonly domainName: string;
  /** Route 53 hosted zone of `domainName`: an A record to the Elastic IP is created there. @default none (DuckDNS: the instance sets the record) */
  readonly route53ZoneId?: string;
  /** ACME account e-mail (Let's Encrypt, ZeroSSL fallback). */
  readonly acmeEmail: string;
  /** `serving` forwards to the load balancer (waking page while it sleeps); `stopped` forwards nothing. */
  readonly mode: "serving" | "stopped";
  /** `Retry-After` seconds for `/api/*` while the environment wakes. */
  readonly apiRetrySeconds: number;
  /** Name (never the value) of the SSM SecureString parameter holding the DuckDNS token. @default none: the record is left as it is */
  readonly duckDnsTokenParameter?: string;
  /** The load balancer the entry forwards to: its DNS name (HTTP, inside the VPC) and its security group (egress 80 to it only). */
  readonly upstream: { readonly dnsName: string; readonly securityGroupId: string };
  /** Log group of the boot log and Caddy's log, e.g. `/city-guided/staging/entry`. */
  readonly logGroupName: string;
  readonly logRetentionDays: number;
  /** Topic the GroupInServiceInstances alarm notifies. */
  readonly alarmTopicArn: string;
  /** Managed policy capping the instance role (the deploy role may only create roles that carry it). @default none */
  readonly permissionsBoundaryArn?: string;
  /** Tags of the instance, its volume and network interface (default tags do not reach them) and of the group. */
  readonly tags: Readonly<Record<string, string>>;
  /** The tag whose value the instance role's ec2:AssociateAddress requires on the instance (one of `tags`). */
  readonly scopeTagKey: string;
  readonly caddy: CaddyPin;
  readonly files: EntryFiles;
}

/** What the entry's instance role may do; the workload boundary can call this with patterns. */
export interface EntryInstanceAccess {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** The Elastic IP's allocation ID (or `*` in a pattern). */
  readonly allocationId: string;
  /** Instances (and their network interfaces) must carry this tag and value to receive the address. */
  readonly scopeTag: { readonly key: string; readonly value: string };
  readonly autoScalingGroupName: string;
  readonly logGroupName: string;
  /** The DuckDNS token's parameter name; undefined leaves the statement out. */
  readonly tokenParameterName?: string;
}

/**
 * The instance role's statements: Session Manager's, and the entry's own. Resource types per the Service Authorization Reference: ec2:AssociateAddress
 * authorizes the elastic-ip and the instance (and its network-interface);
 * ec2:DescribeAddresses has no resource type ("*"); ssm:GetParameter the parameter;
 * autoscaling:SetInstanceHealth the autoScalingGroup; logs:CreateLogStream the log group and
 * logs:PutLogEvents the log stream.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2autoscaling.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html
 */
/**
 * Session Manager's actions on the instance side, on "*": exactly the AWS managed policy
 * AWSCloud9SSMInstanceProfile (AWS Managed Policy Reference,
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSCloud9SSMInstanceProfile.html),
 * what Systems Manager's User Guide asks of an instance for sessions ("Step 2: Verify or add
 * instance permissions for Session Manager"). Inline rather than AmazonSSMManagedInstanceCore,
 * which also grants Run Command, inventory, patching and every parameter of the account: the
 * entry needs none of them, and the deploy role then attaches no managed policy at all. The
 * agent's other calls (ec2messages, associations) are denied and logged by the agent: sessions
 * do not use them.
 */
export const SESSION_MANAGER_ACTIONS = [
  "ssm:UpdateInstanceInformation",
  "ssmmessages:CreateControlChannel",
  "ssmmessages:CreateDataChannel",
  "ssmmessages:OpenControlChannel",
  "ssmmessages:OpenDataChannel",
];

export function entryInstanceStatements(access: EntryInstanceAccess): PolicyStatement[] {
  const arn = (service: string, resource: string) => `arn:${access.partition}:${service}:${access.region}:${access.accountId}:${resource}`;
  const logGroup = arn("logs", `log-group:${access.logGroupName}`);
  const statements: PolicyStatement[] = [
    { Sid: "SessionManager", Effect: "Allow", Action: SESSION_MANAGER_ACTIONS, Resource: "*" },
    { Sid: "AssociateTheEntryAddress", Effect: "Allow", Action: ["ec2:AssociateAddress"], Resource: arn("ec2", `elastic-ip/${access.allocationId}`) },
    {
      Sid: "ToTheEntryInstance",
      Effect: "Allow",
      Action: ["ec2:AssociateAddress"],
      Resource: [arn("ec2", "instance/*"), arn("ec2", "network-interface/*")],
      Condition: { StringEquals: { [`aws:ResourceTag/${access.scopeTag.key}`]: access.scopeTag.value } },
    },
    // DescribeAddresses has no resource-level permissions: AWS requires "*".
    { Sid: "ReadTheAddress", Effect: "Allow", Action: ["ec2:DescribeAddresses"], Resource: "*" },
    {
      Sid: "ReportOwnHealth",
      Effect: "Allow",
      Action: ["autoscaling:SetInstanceHealth"],
      Resource: `arn:${access.partition}:autoscaling:${access.region}:${access.accountId}:autoScalingGroup:*:autoScalingGroupName/${access.autoScalingGroupName}`,
    },
    { Sid: "WriteEntryLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [logGroup, `${logGroup}:*`] },
  ];
  if (access.tokenParameterName !== undefined) {
    const name = access.tokenParameterName.replace(/^\//, "");
    // The AWS managed key aws/ssm lets the account's principals decrypt through SSM: no KMS grant.
    statements.push({ Sid: "ReadDuckDnsToken", Effect: "Allow", Action: ["ssm:GetParameter"], Resource: arn("ssm", `parameter/${name}`) });
  }
  return statements;
}

/** The settings the boot script and Caddy read (entry/boot.sh's and entry/Caddyfile's headers). */
export type EntrySettings = Readonly<Record<string, string>>;

/**
 * The cloud-config document: write_files puts the settings, the Caddyfile, the two pages and the
 * boot script where boot.sh expects them, and runcmd runs boot.sh with the settings exported.
 * JSON is YAML, so no value needs YAML quoting; `#cloud-config` on the first line is what
 * cloud-init keys on. Pure: the construct renders it with placeholders for Terraform's values,
 * tests with real values.
 * https://cloudinit.readthedocs.io/en/latest/reference/modules.html#write-files
 */
export function renderCloudConfig(settings: EntrySettings, files: EntryFiles): string {
  const environment = Object.entries(settings)
    .map(([key, value]) => `${key}='${value}'\n`)
    .join("");
  const file = (path: string, content: string, permissions: string) => ({ path, content, owner: "root:root", permissions });
  const document = {
    write_files: [
      file(ENTRY_PATHS.settings, environment, "0600"),
      file(ENTRY_PATHS.caddyfile, files.caddyfile, "0644"),
      file(`${ENTRY_PATHS.pages}/waking.html`, files.wakingPage, "0644"),
      file(`${ENTRY_PATHS.pages}/stopped.html`, files.stoppedPage, "0644"),
      file(ENTRY_PATHS.bootScript, files.bootScript, "0700"),
    ],
    runcmd: [["bash", "-c", `set -a && . ${ENTRY_PATHS.settings} && set +a && exec ${ENTRY_PATHS.bootScript}`]],
  };
  return `#cloud-config\n${JSON.stringify(document, null, 1)}\n`;
}

/** The settings of one entry; `eipAllocationId` and `upstreamDnsName` may be Terraform references. */
export function entrySettings(props: EntryProxyProps, eipAllocationId: string, upstreamDnsName: string): EntrySettings {
  return {
    BOOT_CADDY_VERSION: props.caddy.version,
    BOOT_CADDY_SHA512: props.caddy.sha512,
    BOOT_EIP_ALLOCATION_ID: eipAllocationId,
    BOOT_DUCKDNS_TOKEN_PARAMETER: props.duckDnsTokenParameter ?? "",
    BOOT_LOG_GROUP: props.logGroupName,
    ENTRY_SITE_ADDRESS: props.domainName,
    ENTRY_TLS: props.acmeEmail,
    ENTRY_UPSTREAM: `http://${upstreamDnsName}`,
    ENTRY_MODE: props.mode,
    ENTRY_PAGES: ENTRY_PATHS.pages,
    ENTRY_HTTP_PORT: "80",
    ENTRY_HTTPS_PORT: "443",
    ENTRY_API_RETRY_SECONDS: String(props.apiRetrySeconds),
  };
}

/**
 * The public entry of one environment (docs/public-entry.md, way A): an Auto Scaling group of
 * exactly one arm64 instance running Caddy in front of the (internal) load balancer, with an
 * Elastic IP that the instance associates to itself at boot (entry/boot.sh), a security group
 * open on 80 and 443 only (no SSH: Session Manager), IMDSv2 only, an encrypted root volume, its
 * logs in CloudWatch and an alarm when no instance is in service.
 */
export class EntryProxy extends Construct {
  /** The Elastic IP's address (the site's A record). */
  public readonly publicIp: string;
  /** `https://<domainName>`. */
  public readonly url: string;
  public readonly securityGroupId: string;
  public readonly autoScalingGroupName: string;
  public readonly alarmArn: string;

  constructor(scope: Construct, id: string, props: EntryProxyProps) {
    super(scope, id);
    validate(props);
    const tagList = (resourceType: string) => ({ resourceType, tags: { ...props.tags, Name: props.name } });

    const address = new Eip(this, "address", { domain: "vpc", tags: { Name: props.name } });
    this.publicIp = address.publicIp;
    this.url = `https://${props.domainName}`;
    if (props.route53ZoneId !== undefined) {
      new Route53Record(this, "address-record", { zoneId: props.route53ZoneId, name: props.domainName, type: "A", ttl: 60, records: [address.publicIp] });
    }

    const securityGroup = this.addSecurityGroup(props);
    this.securityGroupId = securityGroup.id;

    const logGroup = new CloudwatchLogGroup(this, "logs", { name: props.logGroupName, retentionInDays: props.logRetentionDays });
    const { role, profile, permissions } = this.addRole(props, address.allocationId);

    const ami = new DataAwsSsmParameter(this, "ami", { name: AMI_PARAMETER });
    const launchTemplate = new LaunchTemplate(this, "launch-template", {
      name: props.name,
      description: `Public entry of ${props.domainName} (Caddy ${props.caddy.version}, ${props.mode})`,
      // insecure_value: the AMI ID is public; `value` is marked sensitive and would hide its change in the plan.
      imageId: ami.insecureValue,
      instanceType: props.instanceType,
      updateDefaultVersion: true,
      iamInstanceProfile: { arn: profile.arn },
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
      // Standard credits: a busy minute never bills surplus credits (t4g defaults to unlimited).
      creditSpecification: { cpuCredits: "standard" },
      blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 8, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } }],
      // A public address until boot.sh associates the Elastic IP: the default VPC's public subnets have no NAT.
      networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "true", deleteOnTermination: "true", securityGroups: [securityGroup.id] }],
      tagSpecifications: [tagList("instance"), tagList("volume"), tagList("network-interface")],
      userData: this.userData(props, address.allocationId),
      tags: { Name: props.name },
    });

    const group = new AutoscalingGroup(this, "group", {
      name: props.name,
      minSize: 1,
      maxSize: 1,
      desiredCapacity: 1,
      vpcZoneIdentifier: props.subnetIds,
      healthCheckType: "EC2",
      // 0: SetInstanceHealth respects the grace period by default, and boot.sh reports a failed boot
      // within it (Amazon EC2 Auto Scaling API Reference, SetInstanceHealth: ShouldRespectGracePeriod).
      healthCheckGracePeriod: 0,
      launchTemplate: { id: launchTemplate.id, version: Token.asString(launchTemplate.latestVersion) },
      // One instance: a refresh replaces it (terminate, then launch); a launch template change triggers it.
      instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 0 } },
      enabledMetrics: ["GroupInServiceInstances"],
      metricsGranularity: "1Minute",
      tag: Object.entries({ ...props.tags, Name: props.name }).map(([key, value]) => ({ key, value, propagateAtLaunch: false })),
      // The instance's permissions and its log group exist before it boots.
      dependsOn: [permissions, logGroup, role],
    });
    this.autoScalingGroupName = group.name;

    // 5 minutes without an instance in service, out of the last 10: a boot that fails again and
    // again (each instance in service a minute or two, then replaced) trips it as well as a long outage.
    const alarm = new CloudwatchMetricAlarm(this, "in-service-alarm", {
      alarmName: derivedName.entryAlarm(props.name, "in-service"),
      alarmDescription: `No instance of the public entry of ${props.domainName} was in service for 5 of the last 10 minutes`,
      namespace: "AWS/AutoScaling",
      metricName: "GroupInServiceInstances",
      dimensions: { AutoScalingGroupName: group.name },
      statistic: "Minimum",
      period: 60,
      evaluationPeriods: ENTRY_ALARM_WINDOW_MINUTES,
      datapointsToAlarm: ENTRY_ALARM_MINUTES,
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      // The group publishes every minute once its metrics are enabled: no data means no group.
      treatMissingData: "breaching",
      alarmActions: [props.alarmTopicArn],
      okActions: [props.alarmTopicArn],
    });
    this.alarmArn = alarm.arn;
  }

  /** 80 and 443 from anywhere, nothing else in; out: 443 anywhere, 80 to the load balancer only. */
  private addSecurityGroup(props: EntryProxyProps): SecurityGroup {
    const group = new SecurityGroup(this, "security-group", {
      namePrefix: derivedName.securityGroupPrefix(props.name, "sg"),
      description: `Public entry of ${props.domainName}: HTTP and HTTPS from the internet, no SSH (Session Manager)`,
      vpcId: props.vpcId,
      lifecycle: { createBeforeDestroy: true },
    });
    const ingress = { 80: "HTTP from the internet (ACME HTTP-01, redirect to HTTPS)", 443: "HTTPS from the internet" };
    for (const [port, description] of Object.entries(ingress)) {
      new VpcSecurityGroupIngressRule(this, `ingress-${port}`, {
        securityGroupId: group.id, description, ipProtocol: "tcp", fromPort: Number(port), toPort: Number(port), cidrIpv4: "0.0.0.0/0",
      });
    }
    new VpcSecurityGroupEgressRule(this, "egress-https", {
      securityGroupId: group.id,
      description: "HTTPS out: ACME, the Caddy release on GitHub, SSM, DuckDNS, CloudWatch, the EC2 API, the OS repositories",
      ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0",
    });
    new VpcSecurityGroupEgressRule(this, "egress-upstream", {
      securityGroupId: group.id, description: "HTTP to the load balancer only", ipProtocol: "tcp", fromPort: 80, toPort: 80,
      referencedSecurityGroupId: props.upstream.securityGroupId,
    });
    return group;
  }

  private addRole(props: EntryProxyProps, allocationId: string): { role: IamRole; profile: IamInstanceProfile; permissions: IamRolePolicy } {
    const role = new IamRole(this, "role", {
      name: props.name,
      description: `The public entry instance of ${props.domainName}: Session Manager, its Elastic IP, its health, its logs`,
      assumeRolePolicy: policyDocument([
        { Sid: "Ec2Instances", Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: ["sts:AssumeRole"] },
      ]),
      permissionsBoundary: props.permissionsBoundaryArn,
    });
    const permissions = new IamRolePolicy(this, "policy", {
      name: "entry",
      role: role.id,
      policy: policyDocument(
        entryInstanceStatements({
          partition: props.partition,
          region: props.region,
          accountId: props.accountId,
          allocationId,
          scopeTag: { key: props.scopeTagKey, value: props.tags[props.scopeTagKey] },
          autoScalingGroupName: props.name,
          logGroupName: props.logGroupName,
          tokenParameterName: props.duckDnsTokenParameter,
        }),
      ),
    });
    const profile = new IamInstanceProfile(this, "instance-profile", { name: props.name, role: role.name });
    return { role, profile, permissions };
  }

  /**
   * base64gzip of the cloud-config: cloud-init uncompresses gzip user data before it reads it
   * (cloud-init, User data formats: https://cloudinit.readthedocs.io/en/latest/explanation/format.html).
   * Its static text goes to Terraform base64-encoded (base64decode
   * at plan), so no character of the files needs escaping for Terraform's templates (`${`, `%{`,
   * backslashes); only the allocation ID and the load balancer's DNS name are Terraform values.
   */
  private userData(props: EntryProxyProps, allocationId: string): string {
    const placeholders = { allocation: "@@ENTRY_ALLOCATION_ID@@", upstream: "@@ENTRY_UPSTREAM_DNS@@" };
    const values: Record<string, string> = { [placeholders.allocation]: allocationId, [placeholders.upstream]: props.upstream.dnsName };
    const text = renderCloudConfig(entrySettings(props, placeholders.allocation, placeholders.upstream), props.files);
    const parts = text.split(/(@@ENTRY_[A-Z_]+@@)/).map((part) =>
      part in values ? values[part] : Fn.base64decode(Buffer.from(part, "utf8").toString("base64")),
    );
    return Fn.base64gzip(Fn.join("", parts));
  }
}

const SETTING_VALUE = /^[A-Za-z0-9@._+\-/:]*$/;

function validate(props: EntryProxyProps): void {
  const problems: string[] = [];
  if (!SITE_DOMAIN_PATTERN.test(props.domainName)) problems.push(`domain "${props.domainName}" is not a lowercase DNS name of two labels at least`);
  if (props.route53ZoneId !== undefined && !HOSTED_ZONE_ID_PATTERN.test(props.route53ZoneId)) problems.push(`hosted zone ID "${props.route53ZoneId}" is not Z + 1-32 uppercase letters and digits`);
  if (!GRAVITON_INSTANCE_TYPE.test(props.instanceType)) problems.push(`instance type "${props.instanceType}" is not an arm64 (Graviton, e.g. t4g.nano) type`);
  if (props.duckDnsTokenParameter !== undefined && !SSM_PARAMETER_PATH.test(props.duckDnsTokenParameter)) {
    problems.push(`DuckDNS token parameter "${props.duckDnsTokenParameter}" is not a fully qualified SSM parameter name (/path/name)`);
  }
  if (!/^[0-9]+\.[0-9]+\.[0-9]+$/.test(props.caddy.version)) problems.push(`Caddy version "${props.caddy.version}" is not like 2.11.4`);
  if (!/^[0-9a-f]{128}$/.test(props.caddy.sha512)) problems.push("the Caddy SHA-512 must be 128 lowercase hex digits");
  if (!Number.isInteger(props.apiRetrySeconds) || props.apiRetrySeconds < 1) problems.push(`API Retry-After ${props.apiRetrySeconds} is not a positive whole number of seconds`);
  if (!(props.scopeTagKey in props.tags)) problems.push(`the scope tag "${props.scopeTagKey}" is not one of the tags`);
  // Written single-quoted into a shell environment file: only characters that need no quoting anywhere.
  const literal = { acmeEmail: props.acmeEmail, duckDnsTokenParameter: props.duckDnsTokenParameter ?? "", logGroupName: props.logGroupName };
  for (const [key, value] of Object.entries(literal)) {
    if (!Token.isUnresolved(value) && !SETTING_VALUE.test(value)) problems.push(`${key} "${value}" has characters the boot settings refuse (allowed: letters, digits and @._+-/:)`);
  }
  if (props.subnetIds.length === 0) problems.push("needs at least one subnet");
  if (problems.length > 0) throw new ConstructPropsError(`Invalid entry proxy ${props.name}: ${problems.join("; ")}`);
}
