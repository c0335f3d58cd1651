/** A short, decent text conversation (two USER replies to a persona). */
export const GOOD_CHAT = [
  {
    role: 'AI',
    content: 'Hey! I just got back from a weekend hiking trip, totally exhausted haha',
  },
  {
    role: 'USER',
    content: "Nice! Where did you go? I've been wanting a good trail recommendation",
  },
  { role: 'AI', content: 'The ridge trail up north. The views were unreal' },
  {
    role: 'USER',
    content: "That sounds amazing. Let's swap hiking stories over coffee on Saturday?",
  },
];
