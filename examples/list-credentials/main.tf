# List the service-specific credentials of an existing IAM user, oldest first and without their
# secrets, and bring its CodeCommit credentials under management: the data source gives each
# credential's import id (service_name:user_name:service_specific_credential_id), and import
# blocks with for_each (Terraform 1.7 or later) take them. Once applied, the import blocks can
# stay (they do nothing more) or go.
data "aws_iam_service_specific_credentials" "example" {
  user_name = "example"
}

locals {
  codecommit = {
    for c in data.aws_iam_service_specific_credentials.example.credentials :
    c.service_specific_credential_id => c if c.service_name == "codecommit.amazonaws.com"
  }
}

import {
  for_each = local.codecommit
  to       = aws_iam_service_specific_credential.codecommit[each.key]
  id       = each.value.id
}

resource "aws_iam_service_specific_credential" "codecommit" {
  for_each     = local.codecommit
  service_name = each.value.service_name
  user_name    = data.aws_iam_service_specific_credentials.example.user_name
}

output "credentials" {
  description = "Each credential's import id and status."
  value       = { for c in data.aws_iam_service_specific_credentials.example.credentials : c.id => c.status }
}
