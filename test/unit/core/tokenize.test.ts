import { tagsInTerms, tokenize } from '../../../core/index.js';

describe('tokenize', () => {
  it('segments Chinese with jieba and drops stop words and punctuation', () => {
    expect(tokenize('我想学Python数据分析，价格多少？')).toEqual(['python', '数据分析', '价格', '多少']);
  });

  it('splits and lowercases English, keeping tokens like c++', () => {
    expect(tokenize('Any courses on Photography and C++ for beginners?')).toEqual(['photography', 'c++', 'beginners']);
  });

  it('maps Chinese and English words to canonical tags', () => {
    expect(tagsInTerms(tokenize('手机摄影和理财投资'))).toEqual(['photography', 'personal-finance', 'investing']);
    expect(tagsInTerms(tokenize('IELTS speaking tips'))).toEqual(['english', 'public-speaking']);
  });
});
