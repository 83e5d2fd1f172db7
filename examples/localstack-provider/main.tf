# The provider block for LocalStack, started with:
#   docker run --rm -p 4566:4566 localstack/localstack
# LocalStack takes any access key; the skip_* settings leave out calls a local endpoint does not
# need. LocalStack's community edition issues CodeCommit and Keyspaces passwords, not API keys.
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true

  endpoints {
    iam = "http://localhost:4566"
    sts = "http://localhost:4566"
  }
}

resource "aws_iam_user" "example" {
  name = "example"
}

resource "aws_iam_service_specific_credential" "example" {
  service_name = "codecommit.amazonaws.com"
  user_name    = aws_iam_user.example.name
}
