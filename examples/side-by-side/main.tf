# Beside the official AWS provider: hashicorp/aws keeps the local name `aws` and serves every
# resource by default; this provider, under its own address, takes the resources routed to it
# with `provider = awsssc`. Both read the usual AWS settings (region, credentials, endpoints).
terraform {
  required_providers {
    aws    = { source = "hashicorp/aws", version = "~> 6.0" }
    awsssc = { source = "iamssc/awsssc", version = "0.1.0" }
  }
}

provider "aws" {
  region = "us-east-1"
}

provider "awsssc" {
  region = "us-east-1"
}

# Served by the official provider.
resource "aws_iam_user" "example" {
  name = "example"
}

# Served by this provider.
resource "aws_iam_service_specific_credential" "example" {
  provider     = awsssc
  service_name = "codecommit.amazonaws.com"
  user_name    = aws_iam_user.example.name
}

# Existing credentials come in with an import block that names the provider too.
# import {
#   provider = awsssc
#   to       = aws_iam_service_specific_credential.existing
#   id       = "codecommit.amazonaws.com:example:ACCAEXAMPLE123EXAMPLE"
# }
