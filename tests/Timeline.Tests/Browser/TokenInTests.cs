namespace Timeline.Tests.Browser;

/// <summary>The browser tests find the admin token in whatever `users add` prints.</summary>
public sealed class TokenInTests
{
    [Theory]
    [InlineData("Created ui-test (admin). Token: tl_8kPq2vX9mZr4TnB7wYc1LdF3\n", "tl_8kPq2vX9mZr4TnB7wYc1LdF3")]
    [InlineData("tl_8kPq2vX9mZr4TnB7wYc1LdF3\n", "tl_8kPq2vX9mZr4TnB7wYc1LdF3")]
    [InlineData("User ui-test added with role admin.\nBearer token (shown once):\n  eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1aSJ9.c2ln\n", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1aSJ9.c2ln")]
    [InlineData("{\"name\":\"ui-test\",\"token\":\"Zm9vYmFyYmF6cXV4cXV1eHF1dXpxdXV6\"}", "Zm9vYmFyYmF6cXV4cXV1eHF1dXpxdXV6")]
    public void The_token_is_the_last_long_token_shaped_word(string output, string token) =>
        BrowserFixture.TokenIn(output).ShouldBe(token);
}
