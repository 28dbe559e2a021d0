import { Construct } from "constructs";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { HOSTED_ZONE_ID_PATTERN, SITE_DOMAIN_PATTERN } from "./dns-names";
import { ConstructPropsError } from "./errors";

/** Where the site's name points: a load balancer's alias target. */
export interface AliasTarget {
  /** DNS name of the target (the load balancer's `dnsName`). */
  readonly dnsName: string;
  /** Route 53 hosted zone of the target's DNS name (the load balancer's canonical `zoneId`). */
  readonly zoneId: string;
}

export interface SiteDomainProps {
  /** The site's name, e.g. `www.example.com`: lowercase, no trailing dot. */
  readonly domainName: string;
  /** The Route 53 public hosted zone that holds `domainName` (validation and alias records go there). */
  readonly hostedZoneId: string;
}

/**
 * The site's own name in a Route 53 hosted zone: an ACM certificate for it, validated by the DNS
 * record ACM asks for (created here, in the zone, so ACM renews the certificate by itself as long
 * as the record stays: https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html), and,
 * once `pointAt` is called, an alias A record to the load balancer. `certificateArn` is the
 * validated certificate: a listener given it is created only after ACM has issued it.
 */
export class SiteDomain extends Construct {
  /** The validated certificate's ARN (read from the validation, so users wait for issuance). */
  public readonly certificateArn: string;
  /** `https://<domainName>`. */
  public readonly url: string;
  public readonly domainName: string;
  private readonly hostedZoneId: string;
  private aliased = false;

  constructor(scope: Construct, id: string, props: SiteDomainProps) {
    super(scope, id);
    validate(props);
    this.domainName = props.domainName;
    this.hostedZoneId = props.hostedZoneId;
    const certificate = new AcmCertificate(this, "certificate", {
      domainName: props.domainName,
      validationMethod: "DNS",
      keyAlgorithm: "RSA_2048",
      // A replacement (another name) must be issued before the listener lets go of the old one.
      lifecycle: { createBeforeDestroy: true },
    });
    // One name, no alternative names: ACM asks for exactly one CNAME record.
    const option = certificate.domainValidationOptions.get(0);
    const validationRecord = new Route53Record(this, "validation-record", {
      zoneId: props.hostedZoneId,
      name: option.resourceRecordName,
      type: option.resourceRecordType,
      records: [option.resourceRecordValue],
      ttl: 300,
      // A certificate requested again for the same name gets the same record: take it over.
      allowOverwrite: true,
    });
    const validation = new AcmCertificateValidation(this, "validation", {
      certificateArn: certificate.arn,
      validationRecordFqdns: [validationRecord.fqdn],
    });
    this.certificateArn = validation.certificateArn;
    this.url = `https://${props.domainName}`;
  }

  /** The site's name as an alias A record to `target` (queries of an alias to an ALB are free). */
  pointAt(target: AliasTarget): void {
    if (this.aliased) throw new ConstructPropsError(`Invalid pointAt on site domain ${this.domainName}: it already points at a target`);
    this.aliased = true;
    new Route53Record(this, "alias-a", {
      zoneId: this.hostedZoneId,
      name: this.domainName,
      type: "A",
      alias: { name: target.dnsName, zoneId: target.zoneId, evaluateTargetHealth: false },
    });
  }
}

function validate(props: SiteDomainProps): void {
  if (!SITE_DOMAIN_PATTERN.test(props.domainName)) {
    throw new ConstructPropsError(
      `Invalid site domain "${props.domainName}": must be a lowercase DNS name of two labels at least, 64 characters at most (letters, digits, inner hyphens, no trailing dot)`,
    );
  }
  if (!HOSTED_ZONE_ID_PATTERN.test(props.hostedZoneId)) {
    throw new ConstructPropsError(`Invalid Route 53 hosted zone ID "${props.hostedZoneId}": must be Z followed by 1-32 uppercase letters and digits`);
  }
}
