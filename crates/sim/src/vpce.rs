//! Gateway VPC endpoints for S3: requests through an endpoint carry `aws:SourceVpce` and
//! `aws:SourceVpc` (and no public `aws:SourceIp`), and the endpoint policy caps what may pass.
//!
//! Follows <https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html> and
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies-vpc-endpoint.html>.

use serde::{Deserialize, Serialize};

/// A gateway endpoint for S3.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct VpcEndpoint {
    /// The VPC the endpoint belongs to (`vpc-…`).
    pub vpc_id: String,
    /// The endpoint policy; absent means the default full-access policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<serde_json::Value>,
}
