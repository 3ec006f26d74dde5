namespace Timeline.Projections; public static class Placeholder {}
